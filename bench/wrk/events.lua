-- Product events with random ids for wrk. Configured by environment:
--   BENCH_PATH       request path (default /api/v1/product-events)
--   BENCH_TOKEN      value of "Authorization: Token ..." (empty: no header)
--   BENCH_BATCH      events per request; > 0 sends {"events":[...]} (default 0: one flat event)
--   BENCH_PRODUCTS   distinct product ids (default 10000)
--   BENCH_CONTACTS   distinct contact ids (default 100000)
--   BENCH_PORTS      ports on 127.0.0.1, space-separated; wrk thread i sends to port i (round-robin over the list),
--                    so -t3 with three ports spreads the load over three servers (unset: every thread uses the URL)
--   BENCH_KEY_SHARDS keys split into this many disjoint shards, thread i drawing only from shard i (round-robin), so
--                    each of the BENCH_PORTS servers sees its own share of the keys (unset or 1: every thread draws all)
--   BENCH_RATE       requests per second over all BENCH_RATE_CONNECTIONS connections: each connection waits a random
--                    pause (mean connections / rate) before each request (unset: each sends again as soon as answered)
-- done() prints one line the runner parses: BENCH requests=.. seconds=.. non2xx=.. errors=.. p50_ms=.. p99_ms=..

local path = os.getenv("BENCH_PATH") or "/api/v1/product-events"
local token = os.getenv("BENCH_TOKEN") or ""
local batch = tonumber(os.getenv("BENCH_BATCH") or "0")
local products = tonumber(os.getenv("BENCH_PRODUCTS") or "10000")
local contacts = tonumber(os.getenv("BENCH_CONTACTS") or "100000")
local shards = math.max(1, tonumber(os.getenv("BENCH_KEY_SHARDS") or "1"))
local rate = tonumber(os.getenv("BENCH_RATE") or "0")
local rate_connections = tonumber(os.getenv("BENCH_RATE_CONNECTIONS") or "1")
local colors = { "red", "green", "blue", "black", "white" }
local random = math.random
local format = string.format
local concat = table.concat

local headers = { ["Content-Type"] = "application/json" }
if token ~= "" then
  headers["Authorization"] = "Token " .. token
end

local ports = {}
for port in (os.getenv("BENCH_PORTS") or ""):gmatch("%d+") do
  table.insert(ports, port)
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  if #ports > 0 then
    thread.addr = wrk.lookup("127.0.0.1", ports[(counter - 1) % #ports + 1])[1]
  end
  table.insert(threads, thread)
end

function init(args)
  -- Each wrk thread has its own Lua state; seed them apart so they send different ids.
  math.randomseed(os.time() * 1000 + (id or 0) * 7919)
  shard = ((id or 1) - 1) % shards
end

-- A key of this thread's shard: shard, shard + shards, shard + 2 x shards, ... below the count.
local function key(count)
  return shard + shards * random(0, math.max(0, math.ceil((count - shard) / shards) - 1))
end

if rate > 0 then
  -- wrk calls delay() before each request; uniform over [0, 2 x mean] so the connections do not send in step.
  local mean_ms = 1000 * rate_connections / rate
  function delay()
    return random(0, math.floor(2 * mean_ms))
  end
end

local function event()
  local product = key(products)
  return format(
    '{"product_id":"p%d","event_type":%d,"user_id":"c%d","name":"Product %d","price":%d.%02d,"color":"%s","in_stock":true}',
    product, random(1, 16), key(contacts), product, random(1, 999), random(0, 99), colors[random(1, 5)])
end

function request()
  if batch > 0 then
    local items = {}
    for i = 1, batch do
      items[i] = event()
    end
    return wrk.format("POST", path, headers, '{"events":[' .. concat(items, ",") .. ']}')
  end
  return wrk.format("POST", path, headers, event())
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(format("BENCH requests=%d seconds=%.3f non2xx=%d errors=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end

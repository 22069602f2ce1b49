-- One chunk of the benchmark's event log (bench/analytics.sh): events :from_g .. :to_g of :events, app :'app'.
-- Deterministic (every draw is a hash of the event's or the session's number, so chunks may run in any order and in
-- parallel). Shape:
--   * log position seq = g; received_at rises evenly from :t0 (epoch seconds) by :step seconds per event, so log
--     order is arrival order; occurred_at is 0-30 s before received_at.
--   * sessions of 8 events: 64 sessions interleaved in each block of 512 consecutive events (:sessions in all), each
--     session one contact u<c> and one "main" product, which 60% of its events are about. Contacts: the sessions are
--     permuted, the first :contacts of the permutation (spread evenly over the whole span) take contacts 1 .. :contacts
--     once each, so every contact is in the log when there are at least 8 events per contact; the other sessions are
--     returning contacts, skewed towards low numbers (u<1 + floor(:contacts * u^2)>);
--   * products skewed: p<floor(:products * u^3)> (p0 the most popular);
--   * types like a shop: view 70%, click 10%, add to cart 10%, purchase 4%, the 12 other types 0.5% each.
WITH e AS (
    SELECT g,
           (g - 1) / 512 * 64 + (g - 1) % 64 AS session,
           (hashint8extended(g, 3) & 9007199254740991)::float8 / 9007199254740992.0 AS u_type,
           (hashint8extended(g, 4) & 9007199254740991)::float8 / 9007199254740992.0 AS u_product,
           (hashint8extended(g, 5) & 9007199254740991)::float8 / 9007199254740992.0 AS u_delay,
           (hashint8extended(g, 6) & 9007199254740991)::float8 / 9007199254740992.0 AS u_main
    FROM generate_series(:from_g::bigint, :to_g::bigint) g
), v AS (
    -- The session's place in a permutation of all sessions (2^31 - 1 is prime, so coprime with their number).
    SELECT e.*, (session * 2147483647) % :sessions AS visit FROM e
), s AS (
    SELECT v.*,
           CASE WHEN visit < :contacts THEN 1 + visit
                ELSE 1 + floor(:contacts * power((hashint8extended(session, 1) & 9007199254740991)::float8 / 9007199254740992.0, 2))::bigint
           END AS contact,
           floor(:products * power(CASE WHEN u_main < 0.6
                    THEN (hashint8extended(session, 2) & 9007199254740991)::float8 / 9007199254740992.0
                    ELSE u_product END, 3))::int AS product
    FROM v
)
INSERT INTO product_events (seq, id, app_id, product_id, event_type, user_id, user_key, name, occurred_at, received_at,
                            event_id, attributes, custom_data)
SELECT s.g,
       md5('bench-analytics-' || s.g)::uuid,
       :'app',
       p.product_id,
       CASE WHEN u_type < 0.70 THEN 8
            WHEN u_type < 0.80 THEN 9
            WHEN u_type < 0.90 THEN 1
            WHEN u_type < 0.94 THEN 2
            ELSE ('{3,4,5,6,7,10,11,12,13,14,15,16}'::smallint[])[1 + least(11, floor((u_type - 0.94) / 0.005)::int)]
       END,
       'u' || s.contact,
       NULL,
       p.name,
       to_timestamp(:t0 + (s.g - 1) * :step - 30 * u_delay),
       to_timestamp(:t0 + (s.g - 1) * :step),
       NULL,
       p.attributes,
       NULL
FROM s JOIN bench_analytics_products p ON p.n = s.product;

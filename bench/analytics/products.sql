-- The benchmark's catalogue (bench/analytics.sh): product p<n> for n in 0 .. :products - 1, each with a name, one of
-- 20 categories (cat-0 .. cat-19) and a price, the same on every event of the product. A helper table of the
-- throwaway database, dropped once the log is loaded. Deterministic: values come from hashes of n.
DROP TABLE IF EXISTS bench_analytics_products;
CREATE UNLOGGED TABLE bench_analytics_products AS
SELECT n,
       'p' || n AS product_id,
       'Product ' || n AS name,
       jsonb_build_object('category', 'cat-' || (n % 20),
                          'price', 5 + (hashint8extended(n, 101) & 2147483647) % 496) AS attributes
FROM generate_series(0, :products - 1) n;
ALTER TABLE bench_analytics_products ADD PRIMARY KEY (n);
ANALYZE bench_analytics_products;

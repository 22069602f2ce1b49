using System.Globalization;
using System.Text;

namespace ProductEvents.Bench.SegmentBench;

/// <summary>
/// Random product events over a fixed catalogue. A product's attributes (category, price, promo) follow from its
/// number, so events never change them: the load measures segment evaluation, not product re-evaluation.
/// </summary>
public sealed class EventFactory(int products, int contacts)
{
    public static readonly string[] Categories =
        ["shoes", "tv", "books", "toys", "garden", "sports", "kitchen", "music", "beauty", "tools"];

    // The types the benchmark's segments use, weighted like a shop: many views, fewer purchases.
    private static readonly string[] Types =
    [
        "view", "view", "view", "view", "detail", "detail", "click", "add to cart", "add to cart", "liking",
        "add to observation", "purchase", "order", "checkout", "return", "refund",
    ];

    public static string Category(int product) => Categories[product % Categories.Length];

    public static int Price(int product) => (int)((uint)(product * 7919 + 13) % 1000) + 1;

    public static bool Promo(int product) => product % 7 == 0;

    public static void AppendEvent(StringBuilder body, int product, string type, string user)
    {
        body.Append(CultureInfo.InvariantCulture,
            $$"""{"product_id":"p{{product}}","event_type":"{{type}}","user_id":"{{user}}","name":"Product {{product}}","category":"{{Category(product)}}","price":{{Price(product)}}.99,"promo":{{(Promo(product) ? "true" : "false")}}}""");
    }

    public void AppendRandom(StringBuilder body, Random random) =>
        AppendEvent(body, random.Next(products), Types[random.Next(Types.Length)], $"c{random.Next(contacts)}");

    public string Batch(int size, Random random)
    {
        var body = new StringBuilder(size * 170 + 16).Append("{\"events\":[");
        for (var i = 0; i < size; i++)
        {
            if (i > 0)
            {
                body.Append(',');
            }

            AppendRandom(body, random);
        }

        return body.Append("]}").ToString();
    }

    public string Single(Random random)
    {
        var body = new StringBuilder(200);
        AppendRandom(body, random);
        return body.ToString();
    }
}

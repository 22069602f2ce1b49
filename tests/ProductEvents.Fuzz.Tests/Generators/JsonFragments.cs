using System.Globalization;
using System.Text;
using CsCheck;

namespace ProductEvents.Fuzz.Tests.Generators;

/// <summary>
/// Pieces of request bodies as raw bytes, valid JSON or not: hostile strings (NUL, lone surrogates as \u escapes and as
/// invalid UTF-8, emoji cut in half), numbers no column can hold, deep nesting, duplicate-key objects, random JSON.
/// </summary>
public static class JsonFragments
{
    /// <summary>A JSON string literal (with its quotes) that a validator has to think about.</summary>
    public static readonly Gen<byte[]> HostileString = Gen.Frequency(
        (6, Gen.OneOf(
            Gen.Const(Ascii("\"\\u0000\"")),
            Gen.Const(Ascii("\"fuzz\\u0000tail\"")),
            Gen.Const(Ascii("\"\\ud800\"")),
            Gen.Const(Ascii("\"\\udfff\"")),
            Gen.Const(Ascii("\"\\udc00\\ud800\"")),
            Gen.Const(Ascii("\"half \\ud83d\"")),
            Gen.Const(Ascii("\"\\ude00 half\"")),
            Gen.Const(Ascii("\"\\uffff\\ufeff\\u202e\"")),
            Gen.Const(Ascii("\"\\u001f\\u007f\""))) ),
        (4, Gen.OneOf(
            Gen.Const(Raw("\"", [0x00], "\"")),
            Gen.Const(Raw("\"a", [0xED, 0xA0, 0x80], "b\"")),
            Gen.Const(Raw("\"cut ", [0xF0, 0x9F, 0x98], "\"")),
            Gen.Const(Raw("\"", [0xC0, 0x80], "\"")),
            Gen.Const(Raw("\"", [0xFF, 0xFE], "\"")),
            Gen.Const(Raw("\"", [0x80], "\"")),
            Gen.Const(Raw("\"tab", [0x09, 0x0A], "\"")),
            Gen.Const(Raw("\"ok ", [0xF0, 0x9F, 0x98, 0x80], "\"")))),
        (4, Gen.Char.Array[0, 40].Select(chars => Escape(new string(chars)))),
        (2, Gen.OneOf(Gen.Int[250, 260], Gen.Int[4090, 4100], Gen.Int[16_000, 17_000], Gen.Int[65_000, 66_000])
            .Select(n => Escape(new string('x', n)))),
        (1, Gen.Const(Ascii("\"\""))),
        (1, Gen.Const(Ascii("\" \""))));

    /// <summary>A number token no double, decimal or jsonb may hold, or one on the edge of what they hold.</summary>
    public static readonly Gen<byte[]> HostileNumber = Gen.Frequency(
        (6, Gen.OneOf(
            Gen.Const(Ascii("1e999999999")),
            Gen.Const(Ascii("-1e999999999")),
            Gen.Const(Ascii("1e-999999")),
            Gen.Const(Ascii("-1e308")),
            Gen.Const(Ascii("1e308")),
            Gen.Const(Ascii("1.7976931348623157e308")),
            Gen.Const(Ascii("1.8e308")),
            Gen.Const(Ascii("5e-324")),
            Gen.Const(Ascii("4e-325")),
            Gen.Const(Ascii("1E+400")),
            Gen.Const(Ascii("-0")),
            Gen.Const(Ascii("-0.0e-0")),
            Gen.Const(Ascii("79228162514264337593543950336")),
            Gen.Const(Ascii("9223372036854775808")),
            Gen.Const(Ascii("1e131072")),
            Gen.Const(Ascii("1e-16383")))),
        (3, Gen.Int[10, 3000].Select(zeros => Ascii("0." + new string('0', zeros) + "1"))),
        (2, Gen.Int[20, 2000].Select(digits => Ascii(new string('9', digits)))),
        (2, Gen.Long.Select(n => Ascii(n.ToString(CultureInfo.InvariantCulture)))),
        (2, Gen.Double.Select(d => Ascii(d.ToString("R", CultureInfo.InvariantCulture)))),
        (1, Gen.OneOf(Gen.Const(Ascii("NaN")), Gen.Const(Ascii("Infinity")), Gen.Const(Ascii("-Infinity")), Gen.Const(Ascii("0x10")),
            Gen.Const(Ascii("01")), Gen.Const(Ascii("1.")), Gen.Const(Ascii(".5")), Gen.Const(Ascii("+1")))));

    /// <summary>Values nested up to about 200 levels deep, most often around the 64 levels PostgreSQL and readers care about.</summary>
    public static readonly Gen<byte[]> DeepNesting =
        from depth in Gen.Frequency((4, Gen.Int[55, 70]), (2, Gen.Int[1, 200]), (1, Gen.Int[120, 210]))
        from kind in Gen.Int[0, 2]
        from leaf in Gen.OneOf(Gen.Const(Ascii("1")), Gen.Const(Ascii("\"x\"")), Gen.Const(Ascii("{}")), Gen.Const(Ascii("[]")))
        select Nest(depth, kind, leaf);

    /// <summary>Any JSON value (and some that are not), built from hostile leaves, with duplicate keys now and then.</summary>
    public static readonly Gen<byte[]> AnyValue = Gen.Recursive<byte[]>((depth, inner) =>
    {
        var leaf = Gen.Frequency(
            (3, HostileString),
            (3, HostileNumber),
            (2, Gen.OneOf(Gen.Const(Ascii("true")), Gen.Const(Ascii("false")), Gen.Const(Ascii("null")))),
            (1, Gen.OneOf(Gen.Const(Ascii("undefined")), Gen.Const(Ascii("'single'")), Gen.Const(Ascii("tru")), Gen.Const(Ascii("")))),
            (1, DeepNesting));
        if (depth >= 4)
        {
            return leaf;
        }

        var array = inner.Array[0, 5].Select(items => Join("[", items, "]"));
        var key = Gen.Frequency((3, Gen.OneOf(Gen.Const("a"), Gen.Const("product_id"), Gen.Const("custom_data"), Gen.Const("name"))
            .Select(k => Ascii($"\"{k}\""))), (2, HostileString));
        var member = from k in key from v in inner select (byte[])[.. k, (byte)':', .. v];
        var obj = Gen.Frequency(
            (4, member.Array[0, 5].Select(members => Join("{", members, "}"))),
            (1, member.Select(m => Join("{", [m, m], "}"))));
        return Gen.Frequency((3, leaf), (2, array), (3, obj));
    });

    /// <summary>Bytes with no regard for JSON at all.</summary>
    public static readonly Gen<byte[]> AnyBytes = Gen.Frequency(
        (3, Gen.Byte.Array[0, 300]),
        (1, Gen.Byte[0x20, 0x7E].Array[0, 200]),
        (1, Gen.OneOf(Gen.Const(Ascii("")), Gen.Const(Ascii("{")), Gen.Const(Ascii("}")), Gen.Const(Ascii("[]")),
            Gen.Const(Ascii("{}")), Gen.Const(Ascii("null")), Gen.Const(Ascii("\"\"")), Gen.Const(Ascii("{\"events\":")),
            Gen.Const(Raw("", [0xEF, 0xBB, 0xBF], "{}")), Gen.Const(Raw("", [0xFF, 0xFE], "{\u0000}")))));

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>A JSON string literal of <paramref name="text"/>: controls, quotes, backslashes and every surrogate escaped as \uXXXX.</summary>
    public static byte[] Escape(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c < 0x20 || c == '"' || c == '\\' || char.IsSurrogate(c))
            {
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                json.Append(c);
            }
        }

        return Encoding.UTF8.GetBytes(json.Append('"').ToString());
    }

    private static byte[] Raw(string before, byte[] middle, string after) => [.. Ascii(before), .. middle, .. Ascii(after)];

    private static byte[] Join(string open, byte[][] items, string close)
    {
        var bytes = new List<byte>(Ascii(open));
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0)
            {
                bytes.Add((byte)',');
            }

            bytes.AddRange(items[i]);
        }

        bytes.AddRange(Ascii(close));
        return [.. bytes];
    }

    private static byte[] Nest(int depth, int kind, byte[] leaf)
    {
        var open = new StringBuilder();
        var close = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            var array = kind == 1 || (kind == 2 && i % 2 == 1);
            open.Append(array ? "[" : "{\"d\":");
            close.Insert(0, array ? "]" : "}");
        }

        return [.. Ascii(open.ToString()), .. leaf, .. Ascii(close.ToString())];
    }
}

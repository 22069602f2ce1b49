using System.Globalization;

namespace ProductEvents.Fuzz.Tests.Support;

/// <summary>
/// The apps one lane works on, shared with no other lane, so what it counts before and after a case is its own: the
/// hostile input goes to <see cref="Alpha"/>, the valid event sent at the same moment to <see cref="Beta"/>, the
/// segment and automation definitions to <see cref="Definitions"/>. Lane 0 keeps the names of a one-lane run.
/// </summary>
public sealed record FuzzLane(int Index, string Alpha, string Beta, string Definitions)
{
    public static FuzzLane For(int index) => index == 0
        ? new FuzzLane(0, FuzzHostFixture.Alpha, FuzzHostFixture.Beta, FuzzHostFixture.Definitions)
        : new FuzzLane(index, Suffixed(FuzzHostFixture.Alpha, index), Suffixed(FuzzHostFixture.Beta, index), Suffixed(FuzzHostFixture.Definitions, index));

    private static string Suffixed(string appId, int index) => string.Create(CultureInfo.InvariantCulture, $"{appId}-{index}");
}

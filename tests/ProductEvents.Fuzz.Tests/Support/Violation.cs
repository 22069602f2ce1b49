namespace ProductEvents.Fuzz.Tests.Support;

/// <summary>A property a fuzz case broke, with what was seen.</summary>
public sealed record Violation(string Property, string Detail)
{
    public const string ServerError = "no 5xx";
    public const string ConnectionDropped = "no dropped connection";
    public const string BadProblem = "4xx is problem+json naming a field";
    public const string RejectedStored = "a rejected input stores nothing";
    public const string OtherAppRefused = "concurrent valid event of another app accepted";
    public const string OtherAppLost = "concurrent valid event of another app in the log";
    public const string NotListed = "accepted event reads back through every listing";
    public const string NotReady = "/health/ready stays 200";

    public override string ToString() => $"{Property}: {Detail}";
}

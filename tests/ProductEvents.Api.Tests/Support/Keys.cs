namespace ProductEvents.Api.Tests.Support;

/// <summary>The apps and keys the shared test host is configured with.</summary>
public static class Keys
{
    public const string Alpha = "alpha";
    public const string AlphaSecret = "alpha-secret-9f3c";
    public const string AlphaPublic = "alpha-public-2b7d";
    public const string Beta = "beta";
    public const string BetaSecret = "beta-secret-51ae";
    public const string BetaPublic = "beta-public-c04e";

    /// <summary>An app that only the test of the unfiltered app-wide listing writes to.</summary>
    public const string Gamma = "gamma";
    public const string GammaSecret = "gamma-secret-77d1";

    public static Dictionary<string, string?> Settings() => new()
    {
        [$"ProductEvents:Apps:{Alpha}:SecretKey"] = AlphaSecret,
        [$"ProductEvents:Apps:{Alpha}:PublicKey"] = AlphaPublic,
        [$"ProductEvents:Apps:{Beta}:SecretKey"] = BetaSecret,
        [$"ProductEvents:Apps:{Beta}:PublicKey"] = BetaPublic,
        [$"ProductEvents:Apps:{Gamma}:SecretKey"] = GammaSecret,
    };
}

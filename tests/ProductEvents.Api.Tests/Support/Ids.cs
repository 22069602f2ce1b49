namespace ProductEvents.Api.Tests.Support;

/// <summary>Ids no other test uses, so tests sharing a host never see each other's data.</summary>
public static class Ids
{
    public static string Product() => $"sku-{Guid.NewGuid():N}";

    public static string User() => $"user-{Guid.NewGuid():N}";
}

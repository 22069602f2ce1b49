namespace ProductEvents.Storage.Apps;

/// <summary>A secret key may use the whole API; a public key (for shop pages) only sends events and identifies.</summary>
public enum AppKeyKind
{
    Secret,
    Public,
}

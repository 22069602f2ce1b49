namespace ProductEvents.Deploy.Tests;

/// <summary>Which process a container runs: it decides which configuration keys it reads and which paths it serves.</summary>
public enum Role
{
    Silo,
    FrontDoor,
}

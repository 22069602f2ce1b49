using System.Diagnostics.CodeAnalysis;

namespace ProductEvents.Storage.Tests.Probes;

/// <summary>What a grain hands to its storage provider, for tests that call the provider directly.</summary>
public sealed class ProbeGrainState : IGrainState<ProbeState>
{
    private ProbeState state = new();

    [AllowNull]
    public ProbeState State
    {
        get => state;
        set => state = value ?? new();
    }

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }
}

using System.IO.Pipelines;

namespace ProductEvents.Api.Kestrel;

/// <summary>A connection's transport with its output replaced.</summary>
public sealed class RewrittenTransport(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}

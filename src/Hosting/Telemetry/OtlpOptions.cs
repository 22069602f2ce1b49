using System.ComponentModel.DataAnnotations;
using OpenTelemetry.Exporter;

namespace ProductEvents.Hosting.Telemetry;

/// <summary>Bound from <c>OpenTelemetry:Otlp</c>: where to push metrics and traces. Unset endpoint: nothing is pushed.</summary>
public sealed class OtlpOptions
{
    public const string Section = "OpenTelemetry:Otlp";

    /// <summary>The collector's base address (<c>http://collector:4317</c> for gRPC, <c>http://collector:4318</c> for HTTP).</summary>
    [RegularExpression("^https?://[^/\\s]+(/\\S*)?$", ErrorMessage = "must be an absolute http:// or https:// address")]
    public string? Endpoint { get; set; }

    public OtlpExportProtocol Protocol { get; set; } = OtlpExportProtocol.Grpc;

    public bool Enabled => !string.IsNullOrEmpty(Endpoint);
}

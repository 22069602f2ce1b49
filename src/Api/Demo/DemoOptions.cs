using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Api.Demo;

/// <summary>Bound from <c>ProductEvents:Demo</c>: which app the demo shop sends to and reads from.</summary>
public sealed class DemoOptions
{
    public const string Section = "ProductEvents:Demo";

    [Required(AllowEmptyStrings = false)]
    public string AppId { get; set; } = "demo";
}

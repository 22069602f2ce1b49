using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Api.Operator;

/// <summary>Bound from <c>ProductEvents:Operator</c>: the key of the operator endpoints (<c>/metrics</c>, <c>/dashboard</c>).</summary>
public sealed class OperatorOptions
{
    public const string Section = "ProductEvents:Operator";

    /// <summary>
    /// Sent as <c>Authorization: Token &lt;key&gt;</c> or <c>Bearer &lt;key&gt;</c>. Unset (the default): outside
    /// Development the operator endpoints answer 404. In Development they are open whatever it says.
    /// </summary>
    [MinLength(16)]
    public string? Key { get; set; }
}

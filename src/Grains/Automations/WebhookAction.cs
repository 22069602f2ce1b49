using Fluid;

namespace ProductEvents.Grains.Automations;

/// <summary>POST the run to <see cref="Url"/>, signed with <see cref="Secret"/>, with the rendered <see cref="Template"/> as its message.</summary>
public sealed record WebhookAction(Uri Url, string Secret, string TemplateText, IFluidTemplate Template);

using Fluid;

namespace ProductEvents.Grains.Automations;

/// <summary>Liquid templates (Fluid): parsed once at definition time; rendering is bounded in steps.</summary>
public static class MessageTemplates
{
    private static readonly FluidParser Parser = new();

    private static readonly TemplateOptions Options = new() { MaxSteps = 100_000, MaxRecursion = 20 };

    public static bool TryParse(string text, out IFluidTemplate? template, out string error)
    {
        if (Parser.TryParse(text, out var parsed, out var message))
        {
            template = parsed;
            error = "";
            return true;
        }

        template = null;
        error = message;
        return false;
    }

    /// <summary>Renders with the given top-level values (dictionaries, lists and scalars) in scope.</summary>
    public static async Task<string> RenderAsync(IFluidTemplate template, IReadOnlyDictionary<string, object?> scope)
    {
        var context = new TemplateContext(Options);
        foreach (var (name, value) in scope)
        {
            context.SetValue(name, value);
        }

        return await template.RenderAsync(context);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace ProductEvents.Abstractions.Telemetry;

/// <summary>Tag lists of <see cref="ProductEventsTelemetry.AppTag"/> alone, built once per app.</summary>
public sealed class AppOnlyTags
{
    private readonly ConcurrentDictionary<string, Holder> _lists = new(StringComparer.Ordinal);

    public ref readonly TagList Of(string appId)
    {
        if (!_lists.TryGetValue(appId, out var holder))
        {
            holder = _lists.GetOrAdd(appId, id => new Holder(new TagList { { ProductEventsTelemetry.AppTag, id } }));
        }

        return ref holder.Tags;
    }

    private sealed class Holder(TagList tags)
    {
        public readonly TagList Tags = tags;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace ProductEvents.Abstractions.Telemetry;

/// <summary>
/// Tag lists of <see cref="ProductEventsTelemetry.AppTag"/> and one more tag whose values are those of
/// <typeparamref name="TValue"/> (a status, an outcome), built once per pair so that recording allocates nothing.
/// App ids are configured, so there are few.
/// </summary>
public sealed class AppTags<TValue>(string tag, Func<TValue, string> name)
    where TValue : struct
{
    private readonly ConcurrentDictionary<(string AppId, TValue Value), Holder> _lists = new();

    public ref readonly TagList Of(string appId, TValue value)
    {
        if (!_lists.TryGetValue((appId, value), out var holder))
        {
            holder = _lists.GetOrAdd((appId, value), key => new Holder(new TagList { { ProductEventsTelemetry.AppTag, key.AppId }, { tag, name(key.Value) } }));
        }

        return ref holder.Tags;
    }

    private sealed class Holder(TagList tags)
    {
        public readonly TagList Tags = tags;
    }
}

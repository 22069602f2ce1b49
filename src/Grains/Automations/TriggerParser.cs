using System.Text.Json;

namespace ProductEvents.Grains.Automations;

/// <summary>
/// Reads a trigger: an event node of the segment condition language limited to <c>types</c> and <c>product</c>
/// (a trigger is one event, so windows and counts do not apply), or <c>{"segment": {"id", "on": "join"|"leave"}}</c>.
/// </summary>
public static class TriggerParser
{
    public static (EventCondition? Event, SegmentTrigger? Segment) Parse(JsonElement trigger, List<SegmentDefinitionError> errors)
    {
        var kinds = trigger.ValueKind == JsonValueKind.Object ? trigger.EnumerateObject().Select(p => p.Name).ToList() : [];
        if (kinds.Count != 1 || kinds[0] is not ("event" or "segment"))
        {
            errors.Add(new("trigger", "must be an object with exactly one of: event, segment"));
            return (null, null);
        }

        return kinds[0] == "event" ? (ParseEvent(trigger, errors), null) : (null, ParseSegment(trigger.GetProperty("segment"), errors));
    }

    private static EventCondition? ParseEvent(JsonElement trigger, List<SegmentDefinitionError> errors)
    {
        var node = trigger.GetProperty("event");
        if (node.ValueKind == JsonValueKind.Object)
        {
            var extra = node.EnumerateObject().Where(p => p.Name is not ("types" or "product")).ToList();
            foreach (var key in extra)
            {
                errors.Add(new($"trigger.event.{key.Name}", "is not allowed in a trigger: a trigger is one event (types and product only)"));
            }

            if (extra.Count > 0)
            {
                return null;
            }
        }

        var condition = SegmentConditionParser.Parse(trigger, out var problems, "trigger");
        errors.AddRange(problems);
        return condition as EventCondition;
    }

    private static SegmentTrigger? ParseSegment(JsonElement segment, List<SegmentDefinitionError> errors)
    {
        if (segment.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("trigger.segment", "must be an object {\"id\": \"seg_...\", \"on\": \"join\" | \"leave\"}"));
            return null;
        }

        var id = segment.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        if (string.IsNullOrWhiteSpace(id))
        {
            errors.Add(new("trigger.segment.id", "is required: the id of a segment of this app"));
        }

        var on = segment.TryGetProperty("on", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
        if (on is not ("join" or "leave"))
        {
            errors.Add(new("trigger.segment.on", "is required: \"join\" or \"leave\""));
        }

        foreach (var unknown in segment.EnumerateObject().Where(p => p.Name is not ("id" or "on")))
        {
            errors.Add(new($"trigger.segment.{unknown.Name}", "unknown key; a segment trigger has id and on"));
        }

        return id is null || on is null || on is not ("join" or "leave") ? null : new SegmentTrigger(id, on == "join");
    }
}

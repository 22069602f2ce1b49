namespace ProductEvents.Grains.Tests.Cluster;

/// <summary>The fields of a contact snapshot written when window checks were Orleans reminders (field 7).</summary>
[GenerateSerializer, Alias("pe-tests.ContactStateWithReminder")]
public sealed class ContactStateWithReminder
{
    [Id(0)] public long AppliedSeq { get; set; }

    [Id(6)] public Dictionary<string, DateTimeOffset> Segments { get; set; } = new(StringComparer.Ordinal);

    [Id(7)] public DateTimeOffset? ReminderAt { get; set; }

    [Id(8)] public HashSet<string> MergedKeys { get; set; } = [];
}

using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Storage.Segments;

/// <summary>
/// Cuts a batch of membership changes into consecutive runs in which each contact appears at most once, so a run can
/// be written as one set-based statement while the batch keeps its order: a contact that joined and left within the
/// batch has its later change in a later run. Usually the whole batch is one run.
/// </summary>
public static class MembershipRuns
{
    public static List<List<(MembershipChange Change, string ContactKey)>> Split(IReadOnlyList<MembershipChange> changes)
    {
        var runs = new List<List<(MembershipChange, string)>> { new(changes.Count) };
        var inRun = new HashSet<string>(changes.Count, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var key = ContactKeys.Of(change.Contact);
            if (!inRun.Add(key))
            {
                runs.Add([]);
                inRun.Clear();
                inRun.Add(key);
            }

            runs[^1].Add((change, key));
        }

        return runs;
    }
}

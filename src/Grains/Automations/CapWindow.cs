namespace ProductEvents.Grains.Automations;

/// <summary>The sliding-window frequency cap: at most max sends within any period ending now.</summary>
public static class CapWindow
{
    /// <summary>Takes a send for the run if the window allows it; drops sends older than the period so the state stays bounded.</summary>
    public static bool TryTake(Dictionary<string, DateTimeOffset> sends, string runId, int max, TimeSpan per, DateTimeOffset now)
    {
        if (sends.ContainsKey(runId))
        {
            return true;
        }

        foreach (var old in sends.Where(s => s.Value <= now - per).Select(s => s.Key).ToList())
        {
            sends.Remove(old);
        }

        if (sends.Count >= max)
        {
            return false;
        }

        sends[runId] = now;
        return true;
    }
}

namespace ProductEvents.Grains.Segments;

/// <summary>
/// The watermark of a segment build: which contacts answered the build's call but whose answer on the segment's stream
/// has not arrived yet. The two come in either order, and a contact asked again (a page retried) answers again on both
/// sides, so each contact keeps a balance (calls answered minus stream answers received); the build has received every
/// answer when no balance is positive. A contact whose call failed after it published leaves a negative balance, which
/// holds back nothing.
/// </summary>
public sealed class BuildAnswers
{
    private readonly Dictionary<string, int> _balance = new(StringComparer.Ordinal);
    private int _outstanding;

    /// <summary>The build version counted; answers to other versions are ignored.</summary>
    public int Version { get; private set; }

    public bool AllArrived => _outstanding == 0;

    public void Reset(int version)
    {
        Version = version;
        _balance.Clear();
        _outstanding = 0;
    }

    /// <summary>The contact's call for build <paramref name="version"/> completed: its answer is on the stream.</summary>
    public void Answered(int version, string contactKey)
    {
        if (version == Version)
        {
            Shift(contactKey, +1);
        }
    }

    /// <summary>The contact's answer to build <paramref name="version"/> arrived on the stream.</summary>
    public void Arrived(int version, string contactKey)
    {
        if (version == Version)
        {
            Shift(contactKey, -1);
        }
    }

    /// <summary>
    /// The contacts whose stream answers have not arrived, forgotten here: the build asks them again, and a lost answer
    /// (a stream delivery that failed) no longer holds it back. An answer that was only late arrives as a negative
    /// balance, which holds back nothing.
    /// </summary>
    public List<string> ForgetOutstanding()
    {
        var keys = _balance.Where(b => b.Value > 0).Select(b => b.Key).ToList();
        foreach (var key in keys)
        {
            _balance.Remove(key);
        }

        _outstanding = 0;
        return keys;
    }

    private void Shift(string contactKey, int delta)
    {
        var before = _balance.GetValueOrDefault(contactKey);
        var after = before + delta;
        _outstanding += (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
        if (after == 0)
        {
            _balance.Remove(contactKey);
        }
        else
        {
            _balance[contactKey] = after;
        }
    }
}

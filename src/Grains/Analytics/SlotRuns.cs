namespace ProductEvents.Grains.Analytics;

/// <summary>
/// The slots of one day of event time, as runs of consecutive slots. Entries mostly arrive in time order, so a day is
/// a few long runs and a scan of it reads the columns in order; a late entry adds a run of one.
/// </summary>
internal sealed class SlotRuns
{
    private int[] _starts = new int[4];
    private int[] _ends = new int[4];

    public int Count { get; private set; }

    public int Start(int run) => _starts[run];

    /// <summary>One past the run's last slot.</summary>
    public int End(int run) => _ends[run];

    /// <summary>Adds a slot higher than every slot added before.</summary>
    public void Add(int slot)
    {
        if (Count > 0 && _ends[Count - 1] == slot)
        {
            _ends[Count - 1]++;
            return;
        }

        if (Count == _starts.Length)
        {
            Array.Resize(ref _starts, Count * 2);
            Array.Resize(ref _ends, Count * 2);
        }

        _starts[Count] = slot;
        _ends[Count] = slot + 1;
        Count++;
    }
}

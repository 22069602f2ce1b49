using ProductEvents.Grains.Products;

namespace ProductEvents.Grains.Analytics;

/// <summary>
/// One app's log entries held in memory for analytics: one slot per entry in log order, as columns (event time, type,
/// contact, product), chained per contact and listed per day of event time, plus counts per minute and type. The products'
/// current names and attributes are folded as the product grains fold them. Queries are in the partial files next to
/// this one; not thread-safe (its grain is its only user).
/// </summary>
/// <remarks>
/// About 29 bytes per entry (8 event time, 8 position, 4 received time, 4 contact, 4 product, 1 type, 4 the contact's
/// previous slot; the arrays double when full, so up to twice that), plus each contact's and product's key. An
/// erased or expired entry keeps its slot with type 0, and leaves every count; the room comes back when the index is
/// built again (the next activation).
/// </remarks>
public sealed partial class AnalyticsIndex
{
    private const int NoSlot = -1;
    private const byte Forgotten = 0;
    private static readonly long ReceivedEpochTicks = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    private int _count;
    private long[] _ticks = new long[1024];
    private long[] _seq = new long[1024];
    private uint[] _received = new uint[1024];
    private int[] _contact = new int[1024];
    private int[] _product = new int[1024];
    private byte[] _type = new byte[1024];
    private int[] _previousOfContact = new int[1024];

    private readonly Dictionary<ContactRef, int> _contactIds = [];
    private readonly List<ContactRef> _contacts = [];
    private readonly List<int> _lastOfContact = [];
    private readonly List<int> _liveOfContact = [];

    private readonly Dictionary<string, int> _productIds = new(StringComparer.Ordinal);
    private readonly List<string> _products = [];
    private readonly List<ProductState> _productStates = [];
    private readonly List<ProductSnapshot?> _productSnapshots = [];

    private readonly Dictionary<int, SlotRuns> _days = [];
    /// <summary>Per hour of event time, the entries per minute of the hour and type: [minute * 16 + type - 1].</summary>
    private readonly Dictionary<long, int[]> _minuteCounts = [];

    /// <summary>Entries held (forgotten ones excluded).</summary>
    public long Entries { get; private set; }

    /// <summary>The highest log position added.</summary>
    public long LastSeq { get; private set; }

    /// <summary>Contacts holding at least one entry.</summary>
    public int LiveContacts { get; private set; }

    public int ProductCount => _products.Count;

    /// <summary>Adds an entry for <paramref name="contact"/> (the contact its events count for: merged visitors go to their user).</summary>
    public void Add(ProductEventRecord e, ContactRef contact)
    {
        if (_count == _ticks.Length)
        {
            Grow();
        }

        var slot = _count++;
        var ticks = e.Timestamp.UtcTicks;
        var contactId = ContactId(contact);
        var productId = ProductId(e.ProductId);
        _ticks[slot] = ticks;
        _seq[slot] = e.Seq;
        _received[slot] = ReceivedSeconds(e.ReceivedAt);
        _contact[slot] = contactId;
        _product[slot] = productId;
        _type[slot] = (byte)e.EventType;
        _previousOfContact[slot] = _lastOfContact[contactId];
        _lastOfContact[contactId] = slot;
        if (_liveOfContact[contactId]++ == 0)
        {
            LiveContacts++;
        }

        var day = DayOf(ticks);
        if (!_days.TryGetValue(day, out var runs))
        {
            runs = new SlotRuns();
            _days.Add(day, runs);
        }

        runs.Add(slot);
        CountsOfHour(ticks)[MinuteIndex(ticks, e.EventType)]++;

        ProductProjection.Apply(_productStates[productId], e);
        _productSnapshots[productId] = null;
        Entries++;
        LastSeq = Math.Max(LastSeq, e.Seq);
    }

    /// <summary>Forgets every entry of the contact (an erasure); answers how many.</summary>
    public int ForgetContact(ContactRef contact)
    {
        if (!_contactIds.TryGetValue(contact, out var id))
        {
            return 0;
        }

        var forgotten = 0;
        for (var slot = _lastOfContact[id]; slot != NoSlot; slot = _previousOfContact[slot])
        {
            forgotten += ForgetSlot(slot) ? 1 : 0;
        }

        return forgotten;
    }

    /// <summary>Forgets the entries at these log positions (retention); answers how many it held.</summary>
    public int ForgetPositions(IEnumerable<long> positions)
    {
        // Slots are in log order, so positions are found by halving.
        var forgotten = 0;
        foreach (var position in positions)
        {
            var slot = Array.BinarySearch(_seq, 0, _count, position);
            if (slot >= 0 && ForgetSlot(slot))
            {
                forgotten++;
            }
        }

        return forgotten;
    }

    /// <summary>Forgets the entries received before <paramref name="before"/> (retention); answers how many.</summary>
    public int ForgetReceivedBefore(DateTimeOffset before)
    {
        var limit = ReceivedSeconds(before);
        var forgotten = 0;
        for (var slot = 0; slot < _count; slot++)
        {
            if (_received[slot] < limit && ForgetSlot(slot))
            {
                forgotten++;
            }
        }

        return forgotten;
    }

    /// <summary>Moves a visitor's entries to the user it was merged into (identify), keeping each chain in log order.</summary>
    public void MergeVisitor(string userKey, string userId)
    {
        if (!_contactIds.TryGetValue(ContactRef.Visitor(userKey), out var visitor) || _lastOfContact[visitor] == NoSlot)
        {
            return;
        }

        var user = ContactId(ContactRef.User(userId));
        var a = _lastOfContact[visitor];
        var b = _lastOfContact[user];
        var head = NoSlot;
        var tail = NoSlot;
        while (a != NoSlot || b != NoSlot)
        {
            // Both chains run from the newest slot back; the merged one takes the higher slot first.
            int next;
            if (b == NoSlot || (a != NoSlot && a > b))
            {
                next = a;
                a = _previousOfContact[a];
                _contact[next] = user;
            }
            else
            {
                next = b;
                b = _previousOfContact[b];
            }

            if (tail == NoSlot)
            {
                head = next;
            }
            else
            {
                _previousOfContact[tail] = next;
            }

            tail = next;
        }

        _previousOfContact[tail] = NoSlot;
        _lastOfContact[user] = head;
        _lastOfContact[visitor] = NoSlot;
        var moved = _liveOfContact[visitor];
        _liveOfContact[visitor] = 0;
        if (moved > 0)
        {
            LiveContacts -= _liveOfContact[user] > 0 ? 1 : 0;
            _liveOfContact[user] += moved;
        }
    }

    private bool ForgetSlot(int slot)
    {
        var type = _type[slot];
        if (type == Forgotten)
        {
            return false;
        }

        _type[slot] = Forgotten;
        if (--_liveOfContact[_contact[slot]] == 0)
        {
            LiveContacts--;
        }

        CountsOfHour(_ticks[slot])[MinuteIndex(_ticks[slot], (ProductEventType)type)]--;
        Entries--;
        return true;
    }

    private int ContactId(ContactRef contact)
    {
        if (!_contactIds.TryGetValue(contact, out var id))
        {
            id = _contacts.Count;
            _contactIds.Add(contact, id);
            _contacts.Add(contact);
            _lastOfContact.Add(NoSlot);
            _liveOfContact.Add(0);
        }

        return id;
    }

    private int ProductId(string productId)
    {
        if (!_productIds.TryGetValue(productId, out var id))
        {
            id = _products.Count;
            _productIds.Add(productId, id);
            _products.Add(productId);
            _productStates.Add(new ProductState());
            _productSnapshots.Add(null);
        }

        return id;
    }

    /// <summary>The product's current snapshot, made once per change.</summary>
    private ProductSnapshot? Snapshot(int product) =>
        _productSnapshots[product] ??= ProductProjection.ToSnapshot(_products[product], _productStates[product]);

    private int[] CountsOfHour(long ticks)
    {
        var hour = ticks / TimeSpan.TicksPerHour;
        if (!_minuteCounts.TryGetValue(hour, out var counts))
        {
            counts = new int[MinutesPerHour * ProductEventTypes.MaxId];
            _minuteCounts.Add(hour, counts);
        }

        return counts;
    }

    private const int MinutesPerHour = 60;

    private static int MinuteIndex(long ticks, ProductEventType type) =>
        (int)(ticks % TimeSpan.TicksPerHour / TimeSpan.TicksPerMinute) * ProductEventTypes.MaxId + (int)type - 1;

    private static int DayOf(long ticks) => (int)(ticks / TimeSpan.TicksPerDay);

    /// <summary>
    /// The arrival time (as stored) before which no entry can have an event time at or after <paramref name="ticks"/>: an
    /// event time is at most a day ahead of its arrival (the API refuses more), and an hour more covers arrivals
    /// committed out of order. Slots are in log order, so a walk back along a contact's chain stops at the first slot that
    /// arrived before it.
    /// </summary>
    private static uint ArrivedTooEarlyFor(long ticks) =>
        ReceivedSeconds(new DateTimeOffset(Math.Max(ticks - TimeSpan.TicksPerDay - TimeSpan.TicksPerHour, ReceivedEpochTicks), TimeSpan.Zero));

    private static uint ReceivedSeconds(DateTimeOffset at) =>
        (uint)Math.Clamp((at.UtcTicks - ReceivedEpochTicks) / TimeSpan.TicksPerSecond, 0, uint.MaxValue);

    private void Grow()
    {
        var size = _ticks.Length < 1 << 22 ? _ticks.Length * 2 : _ticks.Length + (_ticks.Length >> 1);
        Array.Resize(ref _ticks, size);
        Array.Resize(ref _seq, size);
        Array.Resize(ref _received, size);
        Array.Resize(ref _contact, size);
        Array.Resize(ref _product, size);
        Array.Resize(ref _type, size);
        Array.Resize(ref _previousOfContact, size);
    }
}

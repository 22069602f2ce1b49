using ProductEvents.Storage.EventLog;

namespace ProductEvents.Grains.Ingest;

/// <summary>What one group commit did, gathered over the appends it took: per request its outcomes or its failure.</summary>
internal sealed class CommitResults
{
    private readonly HashSet<string> _newProducts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _newContacts = new(StringComparer.Ordinal);
    private int _appends;
    private NewKeys _onlyNewKeys = NewKeys.None;

    /// <summary>The entries committed, in log order.</summary>
    public List<ProductEventRecord> Committed { get; } = [];

    public Dictionary<WriterWork, AppendOutcome[]> Outcomes { get; } = [];

    /// <summary>Why nothing of a request was stored: answered 503, to be sent again.</summary>
    public Dictionary<WriterWork, string> Failures { get; } = [];

    /// <summary>
    /// An append failed in a way that may have committed it all the same (its reply lost with the connection): the
    /// log, not this commit, tells which entries are in it.
    /// </summary>
    public bool OutcomeUnknown { get; set; }

    public void Add(AppendResult appended)
    {
        foreach (var outcome in appended.Outcomes)
        {
            if (outcome.Committed is { } entry)
            {
                Committed.Add(entry);
            }
        }

        if (++_appends == 1)
        {
            _onlyNewKeys = appended.NewKeys;
            return;
        }

        if (_appends == 2)
        {
            _newProducts.UnionWith(_onlyNewKeys.Products);
            _newContacts.UnionWith(_onlyNewKeys.Contacts);
        }

        _newProducts.UnionWith(appended.NewKeys.Products);
        _newContacts.UnionWith(appended.NewKeys.Contacts);
    }

    /// <summary>The keys whose first entries are in this commit (a key is new to the first append that holds it).</summary>
    public NewKeys AllNewKeys() => _appends <= 1 ? _onlyNewKeys : new NewKeys(_newProducts, _newContacts);
}

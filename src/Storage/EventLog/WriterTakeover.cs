namespace ProductEvents.Storage.EventLog;

/// <summary>
/// What a writer taking over the log starts from: its epoch, and the position through which every entry is known to
/// have reached its grains (the entries after it may not have: the writer applies them again, grains skip what they hold).
/// </summary>
public readonly record struct WriterTakeover(long Epoch, long AppliedThrough);

namespace ProductEvents.Storage.EventLog;

/// <summary>How an entry of <c>product_events</c> is read back, for replays and listings alike.</summary>
internal static class PostgresLogRows
{
    public const string Columns =
        "seq, id, app_id, product_id, event_type, user_id, user_key, name, occurred_at, received_at, event_id, attributes::text, custom_data::text";

    /// <summary>An entry of <see cref="Columns"/>, starting at column <paramref name="first"/>.</summary>
    public static ProductEventRecord ReadRecord(NpgsqlDataReader reader, int first) => new(
        Seq: reader.GetInt64(first),
        Id: reader.GetGuid(first + 1),
        AppId: reader.GetString(first + 2),
        ProductId: reader.GetString(first + 3),
        EventType: (ProductEventType)reader.GetInt16(first + 4),
        UserId: reader.IsDBNull(first + 5) ? null : reader.GetString(first + 5),
        UserKey: reader.IsDBNull(first + 6) ? null : reader.GetString(first + 6),
        Name: reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7),
        Timestamp: reader.GetFieldValue<DateTimeOffset>(first + 8),
        ReceivedAt: reader.GetFieldValue<DateTimeOffset>(first + 9),
        EventId: reader.IsDBNull(first + 10) ? null : reader.GetString(first + 10),
        Attributes: AttributeJson.Deserialize(reader.GetString(first + 11)),
        CustomDataJson: reader.IsDBNull(first + 12) ? null : reader.GetString(first + 12));
}

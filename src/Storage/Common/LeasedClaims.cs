namespace ProductEvents.Storage.Common;

/// <summary>
/// The claim of a table used as a durable timer (columns <c>due_at</c> and <c>lease_until</c>): rows due at <c>$1</c>
/// that no lease holds, earliest first, at most <c>$3</c>, leased until <c>$2</c>. SKIP LOCKED lets several silos claim
/// at once without taking the same row. The rows are addressed by the ctid they were locked at: a join back on the key
/// can turn into a nested loop over the whole table while its statistics lag.
/// </summary>
public static class LeasedClaims
{
    /// <param name="table">The table.</param>
    /// <param name="columns">The columns returned, comma-separated.</param>
    /// <param name="condition">What else a claimable row satisfies (SQL), if anything.</param>
    public static string Sql(string table, string columns, string? condition = null) =>
        $"""
        WITH claimed AS (
            UPDATE {table} SET lease_until = $2
            WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM {table}
                WHERE {(condition is null ? "" : $"{condition} AND ")}due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
                ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED))
            RETURNING {columns})
        SELECT {columns} FROM claimed ORDER BY due_at
        """;
}

namespace ProductEvents.Storage.Common;

public static class NpgsqlArrays
{
    /// <summary>Adds the next positional parameter as an array: with <c>unnest($n::type[], …)</c> one statement writes many rows.</summary>
    public static void AddArray<T>(this NpgsqlCommand command, IEnumerable<T> values) =>
        command.Parameters.Add(new NpgsqlParameter<T[]> { TypedValue = [.. values] });

    /// <summary>
    /// Runs a statement that serves many requests at once (<c>unnest(…) WITH ORDINALITY</c>, the 1-based ordinal in
    /// column 0) and answers each request's rows, in the order read, by its position.
    /// </summary>
    public static async Task<List<T>[]> ReadPerRequestAsync<T>(
        this NpgsqlCommand command, int requests, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>[requests];
        for (var i = 0; i < requests; i++)
        {
            rows[i] = [];
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows[reader.GetInt64(0) - 1].Add(read(reader));
        }

        return rows;
    }
}

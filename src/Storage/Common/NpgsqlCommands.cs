namespace ProductEvents.Storage.Common;

public static class NpgsqlCommands
{
    /// <summary>A command of the data source with positional parameters ($1, $2, ...); a null value is sent as SQL NULL.</summary>
    public static NpgsqlCommand Command(this NpgsqlDataSource dataSource, string sql, params object?[] values)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}

using Npgsql;

namespace ProductEvents.Api.Storage;

public static class NpgsqlArrays
{
    /// <summary>Adds the next positional parameter as an array: with <c>unnest($n::type[], …)</c> one statement writes many rows.</summary>
    public static void AddArray<T>(this NpgsqlCommand command, IEnumerable<T> values) =>
        command.Parameters.Add(new NpgsqlParameter<T[]> { TypedValue = [.. values] });
}

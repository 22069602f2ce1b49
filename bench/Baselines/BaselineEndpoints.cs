using Npgsql;
using NpgsqlTypes;

namespace ProductEvents.Bench.Baselines;

/// <summary>The HTTP rows the ingest API is compared with: doing nothing, and an INSERT per event.</summary>
public static class BaselineEndpoints
{
    private const string InsertSql =
        """
        INSERT INTO product_events (seq, id, app_id, product_id, event_type, user_id, user_key, name, occurred_at, received_at, event_id, attributes, custom_data)
        VALUES (nextval('product_events_seq'), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        """;

    public static WebApplication MapBaselines(this WebApplication app, string? postgres)
    {
        // The machine's ceiling: Kestrel routing a POST and answering 202, the body left unread.
        app.MapPost("/plain", () => Results.StatusCode(StatusCodes.Status202Accepted));

        if (!string.IsNullOrEmpty(postgres))
        {
            // What one would write without group commit: parse, then one autocommit INSERT per event on a pooled connection.
            var dataSource = new NpgsqlDataSourceBuilder(postgres).Build();
            app.MapPost("/naive", async (HttpRequest request, CancellationToken cancellationToken) =>
            {
                var parsed = await NaiveEvent.ReadAsync(request, cancellationToken);
                if (parsed is not { } e)
                {
                    return Results.BadRequest();
                }

                await using var command = dataSource.CreateCommand(InsertSql);
                command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7(e.ReceivedAt) });
                command.Parameters.Add(new NpgsqlParameter { Value = "bench" });
                command.Parameters.Add(new NpgsqlParameter { Value = e.ProductId });
                command.Parameters.Add(new NpgsqlParameter { Value = e.EventType });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)e.UserId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)e.UserKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)e.Name ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = e.OccurredAt });
                command.Parameters.Add(new NpgsqlParameter { Value = e.ReceivedAt });
                command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = e.AttributesJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
                command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
                await command.ExecuteNonQueryAsync(cancellationToken);
                return Results.StatusCode(StatusCodes.Status202Accepted);
            });
        }

        return app;
    }
}

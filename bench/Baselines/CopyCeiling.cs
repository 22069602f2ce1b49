using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace ProductEvents.Bench.Baselines;

/// <summary>
/// The storage ceiling: rows shaped like the ingest API's, written by one connection with binary COPY in batches
/// of N rows (one commit each) into the real product_events table, for a fixed time. Prints rows/s.
/// </summary>
public static class CopyCeiling
{
    private const string CopyCommand =
        "COPY product_events (seq, id, app_id, product_id, event_type, user_id, user_key, name, occurred_at, received_at, event_id, attributes, custom_data) FROM STDIN (FORMAT BINARY)";

    private static readonly string[] Colors = ["red", "green", "blue", "black", "white"];

    /// <param name="args">connection-string seconds batch-rows products contacts</param>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 5)
        {
            await Console.Error.WriteLineAsync("usage: copy-ceiling <connection-string> <seconds> <batch-rows> <products> <contacts>");
            return 2;
        }

        var connectionString = args[0];
        var duration = TimeSpan.FromSeconds(double.Parse(args[1], CultureInfo.InvariantCulture));
        var batchRows = int.Parse(args[2], CultureInfo.InvariantCulture);
        var products = int.Parse(args[3], CultureInfo.InvariantCulture);
        var contacts = int.Parse(args[4], CultureInfo.InvariantCulture);

        await using var dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        await using var connection = await dataSource.OpenConnectionAsync();

        // Log positions are drawn here as the ingest writer draws them, in one round trip per batch.
        await using var seqCommand = new NpgsqlCommand("SELECT nextval('product_events_seq') FROM generate_series(1, $1)", connection);
        seqCommand.Parameters.Add(new NpgsqlParameter { Value = batchRows });

        var random = new Random(42);
        var seqs = new long[batchRows];
        var latencies = new List<double>();
        long rows = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var started = clock.Elapsed;
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await using (var reader = await seqCommand.ExecuteReaderAsync())
                {
                    var i = 0;
                    while (await reader.ReadAsync())
                    {
                        seqs[i++] = reader.GetInt64(0);
                    }
                }

                var now = DateTimeOffset.UtcNow;
                now = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
                await using (var copy = await connection.BeginBinaryImportAsync(CopyCommand))
                {
                    for (var i = 0; i < batchRows; i++)
                    {
                        var product = random.Next(products);
                        await copy.StartRowAsync();
                        await copy.WriteAsync(seqs[i], NpgsqlDbType.Bigint);
                        await copy.WriteAsync(Guid.CreateVersion7(now), NpgsqlDbType.Uuid);
                        await copy.WriteAsync("bench", NpgsqlDbType.Text);
                        await copy.WriteAsync("p" + product.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                        await copy.WriteAsync((short)random.Next(1, 17), NpgsqlDbType.Smallint);
                        await copy.WriteAsync("c" + random.Next(contacts).ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                        await copy.WriteNullAsync();
                        await copy.WriteAsync("Product " + product.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                        await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                        await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                        await copy.WriteNullAsync();
                        var attributes = string.Create(CultureInfo.InvariantCulture,
                            $"{{\"price\":{random.Next(100, 100_000) / 100.0},\"color\":\"{Colors[random.Next(Colors.Length)]}\",\"in_stock\":true}}");
                        await copy.WriteAsync(attributes, NpgsqlDbType.Jsonb);
                        await copy.WriteNullAsync();
                    }

                    await copy.CompleteAsync();
                }

                await transaction.CommitAsync();
            }

            rows += batchRows;
            latencies.Add((clock.Elapsed - started).TotalMilliseconds);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"COPY rows={rows} seconds={seconds:F3} rows_per_s={rows / seconds:F0} batches={latencies.Count} batch_p50_ms={Percentile(latencies, 0.50):F2} batch_p99_ms={Percentile(latencies, 0.99):F2}"));
        return 0;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

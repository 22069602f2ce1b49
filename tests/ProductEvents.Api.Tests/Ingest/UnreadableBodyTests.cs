using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Ingest;

/// <summary>
/// A body the server cannot read (broken framing, a client giving up mid-body) is the client's error: a 400 problem when
/// the client is still there, nothing stored, and no error in the server's log.
/// </summary>
public sealed class UnreadableBodyTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await new TestHostBuilder()
            .WithSettings(Keys.Settings())
            .WithSetting("Logging:LogLevel:ProductEvents.Api.Json", "Debug")
            .Configure(builder => builder.Logging.AddProvider(_logs))
            .StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task BodyEndingBeforeItsDeclaredLengthStoresNothingAndLogsNoError()
    {
        var address = _host.Address;
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = $$"""{"product_id": "{{productId}}", "event_type": 1, "user_id": "{{userId}}"}""";

        // Declares more than it sends, then stops sending: HttpClient cannot do that, a socket can.
        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(address.Host, address.Port);
            await socket.SendAsync(Encoding.UTF8.GetBytes(
                $"POST /api/v1/product-events HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Token {Keys.AlphaSecret}\r\n" +
                $"Content-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body) + 100}\r\n\r\n{body}"));
            socket.Shutdown(SocketShutdown.Send);
            await Eventually.TrueAsync(
                () => _logs.Entries.Any(e => e.Category == "ProductEvents.Api.Json.JsonBody" || e.Level >= LogLevel.Error),
                "the server to finish reading the request (a log entry of the JSON body reader, or an error)");
        }

        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Error);
        await AssertNothingStoredAsync(productId, userId);
    }

    [Fact]
    public async Task BrokenChunkedFramingIsRefusedWithoutAServerError()
    {
        var address = _host.Address;
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = $$"""{"product_id": "{{productId}}", "event_type": 1, "user_id": "{{userId}}"}""";

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address.Host, address.Port);
        await socket.SendAsync(Encoding.UTF8.GetBytes(
            $"POST /api/v1/product-events HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Token {Keys.AlphaSecret}\r\n" +
            $"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{body}\r\n0\r\n\r\n"));
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (int read; (read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0;)
        {
            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        var text = answer.ToString();
        Assert.StartsWith("HTTP/1.1 400", text, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"body\":[", text, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Error);
        await AssertNothingStoredAsync(productId, userId);
    }

    [Theory]
    [InlineData("/api/v1/product-events")]
    [InlineData("/api/v1/product-events/batch")]
    public async Task ChunkSizeTooLargeForAnyBodyIsRefusedAsBrokenFramingWithoutAServerError(string path)
    {
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = $$"""{"product_id": "{{productId}}", "event_type": 1, "user_id": "{{userId}}"}""";

        var answer = await RawHttp.SendAsync(_host.Address,
            $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {Keys.AlphaSecret}\r\n" +
            $"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n{body}\r\n0\r\n\r\n");

        var problem = answer.AssertProblem(StatusCodes.Status400BadRequest);
        var reason = problem["errors"]!["body"]!.AsArray().Single()!.GetValue<string>();
        Assert.Contains("chunk", reason, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Error);
        await AssertNothingStoredAsync(productId, userId);
    }

    private async Task AssertNothingStoredAsync(string productId, string userId)
    {
        using var http = new HttpClient { BaseAddress = _host.Address };
        var client = new ApiClient(http, Keys.AlphaSecret);
        using var product = await client.GetAsync($"/api/v1/products/{productId}");
        await Http.AssertProblemAsync(product, HttpStatusCode.NotFound);
        var events = await client.GetJsonAsync($"/api/v1/contacts/{userId}/product-events");
        Assert.Empty(events["results"]!.AsArray());
    }

    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Entries.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}

using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Hosting;

/// <summary>
/// Requests Kestrel refuses before the API sees them (malformed, too large, too slow) get the same problem+json
/// answers as every other error, and well-formed traffic on the same connections is unchanged.
/// </summary>
public sealed class ProtocolErrorTests : IAsyncLifetime
{
    private TestHost _host = null!;

    private Uri Address => _host.Address;

    public async Task InitializeAsync() =>
        _host = await new TestHostBuilder()
            .WithSettings(Keys.Settings())
            .WithSetting("Api:Http:RequestHeadersTimeout", "00:00:01")
            .StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task HeadersLargerThanTheLimitGetA431Problem()
    {
        var answer = await RawHttp.SendAsync(Address, $"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: {new string('a', 40_000)}\r\n\r\n");

        AssertProblemWithDetail(answer, 431);
    }

    [Fact]
    public async Task RequestLineLongerThanTheLimitGetsA414Problem()
    {
        var answer = await RawHttp.SendAsync(Address, $"GET /api/v1/products/{new string('p', 9_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        AssertProblemWithDetail(answer, 414);
    }

    [Fact]
    public async Task HeadersThatNeverFinishGetA408ProblemAfterTheConfiguredTimeout()
    {
        var answer = await RawHttp.SendAsync(Address, "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n");

        AssertProblemWithDetail(answer, 408);
    }

    [Theory]
    [InlineData("NOT A REQUEST LINE\r\n\r\n")]
    [InlineData("GET /health/live HTTP/1.1 trailing\r\nHost: 127.0.0.1\r\n\r\n")]
    [InlineData("GET /health/live\r\nHost: 127.0.0.1\r\n\r\n")]
    public async Task MalformedRequestLineGetsA400Problem(string request)
    {
        var answer = await RawHttp.SendAsync(Address, request);

        AssertProblemWithDetail(answer, 400);
    }

    [Fact]
    public async Task BadPercentEncodingInThePathGetsA400Problem()
    {
        var answer = await RawHttp.SendAsync(Address, $"GET /api/v1/products/a%00b HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {Keys.AlphaSecret}\r\n\r\n");

        AssertProblemWithDetail(answer, 400);
    }

    [Fact]
    public async Task KeepAlivePipeliningAndHeadAreUnchanged()
    {
        using var connection = await RawHttp.ConnectAsync(Address);
        var unknown = $"GET /api/v1/products/{Ids.Product()} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {Keys.AlphaSecret}\r\n\r\n";
        await connection.WriteAsync(
            "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + unknown + "HEAD /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        var live = await connection.ReadResponseAsync();
        var notFound = await connection.ReadResponseAsync();
        var head = await connection.ReadResponseAsync(head: true);
        await connection.WriteAsync(unknown);
        var again = await connection.ReadResponseAsync();

        Assert.Equal(200, live.Status);
        Assert.Equal("Healthy", live.Body);
        notFound.AssertProblem(404);
        Assert.Equal(200, head.Status);
        again.AssertProblem(404);
        Assert.Null(again.Header("connection"));
    }

    private static void AssertProblemWithDetail(RawResponse answer, int status)
    {
        var problem = answer.AssertProblem(status);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), answer.Body);
        Assert.NotNull(answer.Header("content-length"));
        Assert.Equal("close", answer.Header("connection"));
    }
}

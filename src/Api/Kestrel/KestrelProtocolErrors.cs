using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using ProductEvents.Abstractions.Options;

namespace ProductEvents.Api.Kestrel;

/// <summary>
/// Kestrel's limits (<see cref="HttpLimitsOptions"/>) and problem+json for the errors Kestrel answers itself.
/// </summary>
/// <remarks>
/// Kestrel refuses malformed requests, too-long request lines (414), too-large headers (431), slow headers (408) and
/// undecodable paths (400) before any middleware runs, with an empty body, and it has no hook to change that answer. So a
/// connection middleware sits between Kestrel and the socket: it passes every flush through untouched, except a flush
/// that is exactly a 4xx head with <c>Content-Length: 0</c>, <c>Connection: close</c> and no <c>Content-Type</c>. Only
/// Kestrel writes that (the API's own errors are problem+json, and Kestrel closes the connection after it), so rewriting
/// it cannot touch keep-alive, pipelined or HEAD answers of the API. The cost is one copy of the outgoing bytes.
/// </remarks>
public static class KestrelProtocolErrors
{
    public static IServiceCollection AddKestrelProtocolErrors(this IServiceCollection services)
    {
        services.AddOptions<HttpLimitsOptions>().BindValidated<HttpLimitsOptions, HttpLimitsOptionsValidator>(HttpLimitsOptions.Section);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpLimitsOptions>>((kestrel, options) =>
        {
            var limits = options.Value;
            kestrel.Limits.MaxRequestLineSize = limits.MaxRequestLineBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersBytes;
            kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyBytesPerSecond, limits.MinRequestBodyGracePeriod);
            kestrel.Limits.MinResponseDataRate = new MinDataRate(limits.MinResponseBytesPerSecond, limits.MinResponseGracePeriod);
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.MaxConcurrentUpgradedConnections;
            kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
            var problems = new ProtocolErrorProblems(limits);
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection => RunAsync(connection, next, problems)));
        });
        return services;
    }

    private static async Task RunAsync(ConnectionContext connection, ConnectionDelegate next, ProtocolErrorProblems problems)
    {
        var transport = connection.Transport;
        var pool = connection.Features.Get<IMemoryPoolFeature>()?.MemoryPool;
        var output = PipeWriter.Create(new ProtocolErrorStream(transport.Output, problems), new StreamPipeWriterOptions(pool, leaveOpen: false));
        connection.Transport = new RewrittenTransport(transport.Input, output);
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
        }
    }
}

namespace ProductEvents.Api.Tests.Support;

/// <summary>The same host as <see cref="HostFixture"/> in durable mode, on a throwaway PostgreSQL of its own.</summary>
public sealed class PostgresHostFixture : HostFixture
{
    protected override StorageMode Storage => StorageMode.Postgres;
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using ProductEvents.Abstractions;
using ProductEvents.Storage.Tests.Probes;

namespace ProductEvents.Storage.Tests;

[Collection(OrleansSiloFixture.Collection)]
public sealed class AdoNetGrainStorageTests(OrleansSiloFixture silo)
{
    private const string GrainTypeName = "storage-tests-direct";
    private static readonly GrainType GrainType = GrainType.Create(GrainTypeName);

    private IGrainStorage Storage => silo.Host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Snapshots);

    [Fact]
    public async Task GrainStateIsReadBackAfterDeactivation()
    {
        var key = $"readback-{Guid.NewGuid():N}";
        var grain = silo.Grains.GetGrain<IStorageProbeGrain>(key);
        await grain.SetValueAsync(42);
        await grain.DeactivateAsync();

        // A new activation has nothing in memory: the value comes from PostgreSQL.
        await Eventually.ReturnsAsync(
            () => Sql.ScalarAsync<long>(silo.Postgres.ConnectionString, "SELECT count(*) FROM orleans_storage WHERE grain_id_extension = @key", ("key", key)),
            count => count == 1, TimeSpan.FromSeconds(10), "the grain's row is stored");
        Assert.Equal(42, await grain.GetValueAsync());
        Assert.Equal(
            [$"{OrleansSiloFixture.ServiceId}|1"],
            await Sql.RowsAsync(silo.Postgres.ConnectionString, "SELECT service_id, version FROM orleans_storage WHERE grain_id_extension = @key", ("key", key)));
    }

    [Fact]
    public async Task WriteWithStaleETagFailsWithInconsistentStateException()
    {
        var grainId = GrainId.Create(GrainTypeName, $"stale-{Guid.NewGuid():N}");
        var first = await ReadAsync(grainId);
        first.State.Value = 1;
        await Storage.WriteStateAsync(GrainTypeName, grainId, first);
        var second = await ReadAsync(grainId);
        first.State.Value = 2;
        await Storage.WriteStateAsync(GrainTypeName, grainId, first);

        second.State.Value = 3;
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(GrainTypeName, grainId, second));

        var stored = await ReadAsync(grainId);
        Assert.Equal((2, first.ETag), (stored.State.Value, stored.ETag));
    }

    [Fact]
    public async Task SecondFirstWriteOfTheSameGrainFailsWithInconsistentStateException()
    {
        var grainId = GrainId.Create(GrainTypeName, $"insert-race-{Guid.NewGuid():N}");
        var winner = await ReadAsync(grainId);
        var loser = await ReadAsync(grainId);
        Assert.Null(loser.ETag);

        winner.State.Value = 1;
        await Storage.WriteStateAsync(GrainTypeName, grainId, winner);
        loser.State.Value = 2;

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(GrainTypeName, grainId, loser));
        Assert.Equal(1, (await ReadAsync(grainId)).State.Value);
    }

    [Fact]
    public async Task ClearRemovesTheStateAndAStaleClearFails()
    {
        var grainId = GrainId.Create(GrainTypeName, $"clear-{Guid.NewGuid():N}");
        var state = await ReadAsync(grainId);
        state.State.Value = 7;
        await Storage.WriteStateAsync(GrainTypeName, grainId, state);
        var stale = await ReadAsync(grainId);
        state.State.Value = 8;
        await Storage.WriteStateAsync(GrainTypeName, grainId, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(GrainTypeName, grainId, stale));
        await Storage.ClearStateAsync(GrainTypeName, grainId, state);

        var cleared = await ReadAsync(grainId);
        Assert.False(cleared.RecordExists);
        Assert.Equal(0, cleared.State.Value);
        cleared.State.Value = 9;
        await Storage.WriteStateAsync(GrainTypeName, grainId, cleared);
        Assert.Equal(9, (await ReadAsync(grainId)).State.Value);
    }

    [Fact]
    public async Task GrainWriteFailsWhenTheStoredVersionMovedOn()
    {
        var key = $"moved-on-{Guid.NewGuid():N}";
        var grain = silo.Grains.GetGrain<IStorageProbeGrain>(key);
        await grain.SetValueAsync(1);

        // Another writer (a second activation during a split brain, say) got there first.
        var bumped = await Sql.ExecuteAsync(
            silo.Postgres.ConnectionString, "UPDATE orleans_storage SET version = version + 1 WHERE grain_id_extension = @key", ("key", key));
        Assert.Equal(1, bumped);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.SetValueAsync(2));
    }

    [Fact]
    public async Task GuidAndIntegerKeysAreStoredApart()
    {
        var guid = Guid.NewGuid();
        var guidId = GrainId.Create(GrainType, GrainIdKeyExtensions.CreateGuidKey(guid));
        var guidWithExtension = GrainId.Create(GrainType, GrainIdKeyExtensions.CreateGuidKey(guid, "ext"));
        var integerId = GrainId.Create(GrainType, GrainIdKeyExtensions.CreateIntegerKey(Random.Shared.NextInt64()));
        var ids = new[] { guidId, guidWithExtension, integerId };

        for (var i = 0; i < ids.Length; i++)
        {
            var state = await ReadAsync(ids[i]);
            state.State.Value = 100 + i;
            await Storage.WriteStateAsync(GrainTypeName, ids[i], state);
        }

        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(100 + i, (await ReadAsync(ids[i])).State.Value);
        }
    }

    [Fact]
    public async Task SnapshotsAreStoredInTheOrleansBinaryFormat()
    {
        var grainId = GrainId.Create(GrainTypeName, $"format-{Guid.NewGuid():N}");
        var state = await ReadAsync(grainId);
        state.State.Value = 11;
        await Storage.WriteStateAsync(GrainTypeName, grainId, state);

        var stored = silo.Host.Services.GetRequiredService<Serializer>().Deserialize<ProbeState>(await PayloadAsync(grainId));
        Assert.Equal(11, stored?.Value);
    }

    private Task<byte[]> PayloadAsync(GrainId grainId) => Sql.ScalarAsync<byte[]>(
        silo.Postgres.ConnectionString, "SELECT payload FROM orleans_storage WHERE grain_id_extension = @key", ("key", grainId.Key.ToString()!));

    private async Task<ProbeGrainState> ReadAsync(GrainId grainId)
    {
        var state = new ProbeGrainState();
        await Storage.ReadStateAsync(GrainTypeName, grainId, state);
        return state;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using ProductEvents.Silo.Hosting;

namespace ProductEvents.Api.Tests.Hosting;

[Trait("Category", "Unit")]
public sealed class InProcessGrainStorageTests
{
    private static readonly GrainId Grain = GrainId.Create("test", "a");

    private static InProcessGrainStorage NewStorage() =>
        new(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<DeepCopier>());

    [Fact]
    public async Task AWrittenStateReadsBackAsACopy()
    {
        var storage = NewStorage();
        var written = new GrainState<List<string>>(["one"]);
        await storage.WriteStateAsync("s", Grain, written);
        written.State!.Add("changed after the write");

        var read = new GrainState<List<string>>();
        await storage.ReadStateAsync("s", Grain, read);

        Assert.Equal(["one"], read.State);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
    }

    [Fact]
    public async Task AnUnknownStateReadsAsNew()
    {
        var read = new GrainState<List<string>>();
        await NewStorage().ReadStateAsync("s", Grain, read);

        Assert.Empty(read.State!);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task AWriteFromAStaleETagIsRefused()
    {
        var storage = NewStorage();
        var first = new GrainState<List<string>>(["one"]);
        await storage.WriteStateAsync("s", Grain, first);
        var stale = new GrainState<List<string>>(["two"]) { ETag = null };

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", Grain, stale));
        await storage.WriteStateAsync("s", Grain, first);
    }

    [Fact]
    public async Task AClearedStateIsGone()
    {
        var storage = NewStorage();
        var state = new GrainState<List<string>>(["one"]);
        await storage.WriteStateAsync("s", Grain, state);
        await storage.ClearStateAsync("s", Grain, state);

        var read = new GrainState<List<string>>();
        await storage.ReadStateAsync("s", Grain, read);
        Assert.False(read.RecordExists);
    }
}

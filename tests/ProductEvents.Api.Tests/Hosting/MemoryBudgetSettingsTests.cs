using Orleans.Configuration;
using ProductEvents.Grains.Contacts;
using ProductEvents.Grains.Products;
using ProductEvents.Silo.Hosting;

namespace ProductEvents.Api.Tests.Hosting;

/// <summary>The budget, a size of the whole process, as Orleans' percentages of the memory available to it.</summary>
[Trait("Category", "Unit")]
public sealed class MemoryBudgetSettingsTests
{
    private const long Megabyte = 1024 * 1024;

    [Fact]
    public void TheHeapsShareOfTheBudgetIsTakenAsAPercentageOfTheAvailableMemory()
    {
        var budget = MemoryBudget.Of(new MemoryOptions { BudgetMegabytes = 2048 }, 24 * 1024 * Megabyte);

        // The heap may use 45% of 2 GiB, 3.75% of 24 GiB; shedding brings it back to 33% of 2 GiB, 2.75% of 24 GiB.
        Assert.Equal(2048 * Megabyte, budget.BudgetBytes);
        Assert.Equal(3.75, budget.LimitPercentage, 3);
        Assert.Equal(2.75, budget.TargetPercentage, 3);
        Assert.Equal(1536 * Megabyte, budget.CommittedLimitBytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64 * 1024)]
    public void NoBudgetOrOneAboveTheAvailableMemoryIsTheAvailableMemory(int configured)
    {
        var options = new MemoryOptions { BudgetMegabytes = configured };

        var budget = MemoryBudget.Of(options, 4096 * Megabyte);

        Assert.Equal(4096 * Megabyte, budget.BudgetBytes);
        Assert.Equal(configured > 0, MemoryBudget.ExceedsAvailable(options, 4096 * Megabyte));
        Assert.Equal(MemoryBudget.HeapLimitShare * 100, budget.LimitPercentage, 6);
    }

    [Fact]
    public void SheddingAndTheAgesOfThePerKeyGrainsAreSet()
    {
        var collection = new GrainCollectionOptions();

        MemoryBudget.Of(new MemoryOptions { BudgetMegabytes = 1024 }, 8192 * Megabyte).ApplyTo(collection, TimeSpan.FromSeconds(4));

        Assert.True(collection.EnableActivationSheddingOnMemoryPressure);
        Assert.Equal(100.0 * 0.45 / 8, collection.MemoryUsageLimitPercentage, 6);
        Assert.Equal(100.0 * 0.33 / 8, collection.MemoryUsageTargetPercentage, 6);
        Assert.Equal(TimeSpan.FromSeconds(4), collection.ClassSpecificCollectionAge[typeof(ProductGrain).FullName!]);
        Assert.Equal(TimeSpan.FromSeconds(4), collection.ClassSpecificCollectionAge[typeof(ContactGrain).FullName!]);
        Assert.Equal(TimeSpan.FromSeconds(2), collection.CollectionQuantum);
        Assert.Equal(TimeSpan.FromMinutes(15), collection.CollectionAge);
    }

    [Theory]
    [InlineData(2048, 102_400)]
    [InlineData(64 * 1024, 1_000_000)]
    public void TheDirectoryCacheGrowsWithTheBudgetUpToOrleansDefault(int budgetMegabytes, int entries)
    {
        var directory = new GrainDirectoryOptions();

        MemoryBudget.Of(new MemoryOptions { BudgetMegabytes = budgetMegabytes }, 64L * 1024 * Megabyte).ApplyTo(directory);

        Assert.Equal(entries, directory.CacheSize);
    }
}

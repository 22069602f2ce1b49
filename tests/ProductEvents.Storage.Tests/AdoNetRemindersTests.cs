using ProductEvents.Storage.Tests.Probes;

namespace ProductEvents.Storage.Tests;

[Collection(OrleansSiloFixture.Collection)]
public sealed class AdoNetRemindersTests(OrleansSiloFixture silo)
{
    [Fact]
    public async Task ReminderIsRegisteredReadBackAndUnregistered()
    {
        var key = $"reminder-{Guid.NewGuid():N}";
        var grain = silo.Grains.GetGrain<IStorageProbeGrain>(key);

        var registeredAt = DateTime.UtcNow;
        await grain.RegisterReminderAsync("nudge", TimeSpan.FromHours(1), TimeSpan.FromHours(2));

        Assert.Equal("nudge", await grain.FindReminderAsync("nudge"));
        var startsAt = await Sql.ScalarAsync<DateTime>(
            silo.Postgres.ConnectionString,
            "SELECT start_time FROM orleans_reminders WHERE grain_id LIKE '%' || @key",
            ("key", key));
        Assert.InRange(startsAt, registeredAt.AddMinutes(59), DateTime.UtcNow.AddMinutes(61));
        Assert.Equal(
            [$"nudge|{(long)TimeSpan.FromHours(2).TotalMilliseconds}"],
            await RowsAsync(key));

        await grain.UnregisterReminderAsync("nudge");

        Assert.Null(await grain.FindReminderAsync("nudge"));
        Assert.Empty(await RowsAsync(key));
    }

    [Fact]
    public async Task ReregisteringAReminderUpdatesItsRow()
    {
        var key = $"reregister-{Guid.NewGuid():N}";
        var grain = silo.Grains.GetGrain<IStorageProbeGrain>(key);

        await grain.RegisterReminderAsync("nudge", TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        await grain.RegisterReminderAsync("nudge", TimeSpan.FromHours(1), TimeSpan.FromHours(3));

        Assert.Equal([$"nudge|{(long)TimeSpan.FromHours(3).TotalMilliseconds}"], await RowsAsync(key));
        await grain.UnregisterReminderAsync("nudge");
    }

    [Fact]
    public async Task ReminderFires()
    {
        var grain = silo.Grains.GetGrain<IStorageProbeGrain>($"fires-{Guid.NewGuid():N}");

        await grain.RegisterReminderAsync("soon", TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1));

        await Eventually.ReturnsAsync(grain.GetReminderTicksAsync, ticks => ticks >= 1, TimeSpan.FromSeconds(20), "the reminder fires");
        await grain.UnregisterReminderAsync("soon");
    }

    private Task<IReadOnlyList<string>> RowsAsync(string key) => Sql.RowsAsync(
        silo.Postgres.ConnectionString,
        "SELECT reminder_name, period FROM orleans_reminders WHERE service_id = @service AND grain_id LIKE '%' || @key ORDER BY reminder_name",
        ("service", OrleansSiloFixture.ServiceId), ("key", key));
}

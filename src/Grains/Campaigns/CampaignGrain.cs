using Fluid;
using ProductEvents.Abstractions.Campaigns;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Automations;
using ProductEvents.Storage.Automations;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Grains.Campaigns;

/// <summary>
/// One campaign: a reminder (survives restarts) and a timer (on time while active) start it at its send time; then it
/// pages the segment's members in contact-key order, one page per throttle interval, saving its cursor after each page
/// so a restart resumes where it stopped. Deliveries have ids per campaign and contact, so a page sent twice sends once.
/// </summary>
public sealed class CampaignGrain(
    [PersistentState("campaign", StorageNames.Snapshots)] IPersistentState<CampaignState> state,
    ISegmentMembershipStore members,
    IDeliveryOutbox outbox,
    TimeProvider clock,
    ILogger<CampaignGrain> logger) : Grain, ICampaignGrain, IRemindable
{
    private const string Reminder = "campaign-due";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private ITimer? _timer;
    private IFluidTemplate? _template;

    private bool Active => state.State.Status is CampaignStatus.Scheduled or CampaignStatus.Sending;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Active)
        {
            ArmTimer();
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public async Task<CampaignInfo> ScheduleAsync(CampaignSpec spec)
    {
        if (state.State.Status == CampaignStatus.None)
        {
            // The reminder before the state: if saving fails, a reminder without a scheduled campaign drops itself; once
            // saved, nothing may fail the answer, or a client's retry schedules the campaign twice.
            await RegisterReminderAsync(spec.SendAt);
            state.State.Spec = spec;
            state.State.Status = CampaignStatus.Scheduled;
            state.State.NextPageAt = spec.SendAt;
            state.State.UpdatedAt = clock.GetUtcNow();
            await state.WriteStateAsync();
            try
            {
                ArmTimer();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "The timer of campaign {Campaign} was not armed; its reminder and the wake-up sweep start it", this.GetPrimaryKeyString());
            }
        }

        return Info();
    }

    public Task<CampaignInfo?> GetAsync() => Task.FromResult(state.State.Status == CampaignStatus.None ? null : Info());

    public async Task<CampaignInfo?> CancelAsync()
    {
        if (state.State.Status == CampaignStatus.None)
        {
            return null;
        }

        if (Active)
        {
            state.State.Status = CampaignStatus.Cancelled;
            await FinishAsync();
        }

        return Info();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Active && state.State.NextPageAt - clock.GetUtcNow() > ReminderPeriod)
        {
            // A send time beyond the reminder's first step: step again, rather than ticking every period until then.
            await RegisterReminderAsync(state.State.NextPageAt);
        }

        await ContinueAsync();
    }

    public async Task ContinueAsync()
    {
        if (!Active)
        {
            await DropReminderAsync();
            return;
        }

        var now = clock.GetUtcNow();
        if (now < state.State.NextPageAt)
        {
            ArmTimer();
            return;
        }

        var s = state.State;
        var spec = s.Spec!;
        var (appId, campaignId) = CampaignIds.Parse(this.GetPrimaryKeyString());
        if (s.Status == CampaignStatus.Scheduled)
        {
            s.Total = await members.CountAsync(appId, spec.SegmentId);
            s.Status = CampaignStatus.Sending;
            s.StartedAt = now;
        }

        var size = CampaignPacing.PageSize(spec.ThrottlePerSecond);
        var page = await members.ListAsync(appId, spec.SegmentId, s.Cursor, size);
        _template ??= MessageTemplates.TryParse(spec.Template, out var parsed, out _) ? parsed : null;
        var (sent, failed) = await new CampaignMessages(GrainFactory, outbox).SendPageAsync(appId, campaignId, spec, _template!, page, now);
        s.Sent += sent;
        s.Failed += failed;
        s.Cursor = page.Count > 0 ? ContactKeys.Of(page[^1].Contact) : s.Cursor;
        s.NextPageAt = now + CampaignPacing.Interval(spec.ThrottlePerSecond);
        if (page.Count < size)
        {
            s.Status = CampaignStatus.Done;
            await FinishAsync();
            return;
        }

        s.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        ArmTimer();
    }

    private async Task FinishAsync()
    {
        state.State.FinishedAt = state.State.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        _timer?.Dispose();
        _timer = null;
        await DropReminderAsync();
    }

    private CampaignInfo Info()
    {
        var s = state.State;
        return new CampaignInfo(CampaignIds.Parse(this.GetPrimaryKeyString()).CampaignId, s.Spec!, s.Status, s.Total, s.Sent, s.Failed, s.StartedAt, s.FinishedAt, s.UpdatedAt);
    }

    private void ArmTimer()
    {
        _timer?.Dispose();
        // A send time further away than a timer can wait is reached in steps: ContinueAsync arms the next one.
        var delay = Clamp(state.State.NextPageAt - clock.GetUtcNow(), TimeSpan.Zero);
        var self = this.AsReference<ICampaignGrain>();
        _timer = clock.CreateTimer(_ => ContinueLater(self), null, delay, Timeout.InfiniteTimeSpan);
    }

    private Task RegisterReminderAsync(DateTimeOffset due) =>
        this.RegisterOrUpdateReminder(Reminder, Clamp(due - clock.GetUtcNow(), TimeSpan.FromSeconds(1)), ReminderPeriod);

    private static TimeSpan Clamp(TimeSpan delay, TimeSpan least) =>
        delay < least ? least : delay > CampaignLimits.MaxWakeUpDelay ? CampaignLimits.MaxWakeUpDelay : delay;

    /// <summary>Timer callbacks run outside the grain: the next page goes through the grain's own reference.</summary>
    private void ContinueLater(ICampaignGrain self) =>
        self.ContinueAsync().ContinueWith(
            t => logger.LogWarning(t.Exception, "A campaign page did not send on its timer; its reminder will retry"),
            TaskContinuationOptions.OnlyOnFaulted);

    private async Task DropReminderAsync()
    {
        if (await this.GetReminder(Reminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}

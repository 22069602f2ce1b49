using System.Diagnostics;
using System.Diagnostics.Metrics;
using ProductEvents.Abstractions.Telemetry;
using ProductEvents.Api.Telemetry;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Api.Tests.Telemetry;

/// <summary>Counting a request's outcomes is on the ingest hot path: with the meter listened to, it allocates nothing.</summary>
[Trait("Category", "Unit")]
public sealed class IngestMetricsAllocationTests
{
    [Fact]
    public void CountingOutcomesAllocatesNothingPerCallOnceTheAppIsKnown()
    {
        using var listener = new MeterListener();
        long counted = 0;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ProductEventsTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => counted += value);
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => { });
        listener.Start();

        var app = $"alloc-{Guid.NewGuid():N}";
        AppendOutcome[] outcomes = [AppendOutcome.Duplicate(Guid.NewGuid(), 1), AppendOutcome.Refused("a value the log cannot store"), AppendOutcome.Duplicate(Guid.NewGuid(), 2)];
        IngestMetrics.Answered(app, outcomes, Stopwatch.GetTimestamp());
        IngestMetrics.Count(app, IngestOutcome.RefusedOverload, 1);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            IngestMetrics.Answered(app, outcomes, Stopwatch.GetTimestamp());
            IngestMetrics.Count(app, IngestOutcome.RefusedOverload, 1);
        }

        // Any allocation per call would be at least 24 bytes a call, 48,000 in all; what is left is the runtime's own.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1_000, $"{allocated} bytes for 2,000 calls");
        Assert.True(counted >= 1_001 * 4, $"counted {counted}");
    }
}

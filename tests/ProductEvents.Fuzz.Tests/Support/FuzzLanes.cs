using System.Threading.Channels;

namespace ProductEvents.Fuzz.Tests.Support;

/// <summary>
/// Runs a budget of cases on <c>lanes</c> lanes at the same time. The cases are generated one after another, in order,
/// whatever the lanes (so a seed gives the same cases); case <c>i</c> runs on lane <c>i % lanes</c>, and a lane runs its
/// cases one after another. Every result is handed to <c>record</c> in case order, one at a time; when it answers
/// false no case after that one is recorded or started.
/// </summary>
public static class FuzzLanes
{
    /// <summary>Cases a lane may have generated and waiting: enough to keep it busy, few enough to bound the memory.</summary>
    private const int Queued = 2;

    public static async Task RunAsync<TCase, TResult>(
        int count, int lanes, Func<TCase> generate, Func<int, TCase, Task<TResult>> run, Func<int, TCase, TResult, bool> record)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        using var stop = new CancellationTokenSource();
        var queues = Enumerable.Range(0, lanes)
            .Select(_ => Channel.CreateBounded<(int Index, TCase Case)>(new BoundedChannelOptions(Queued) { SingleReader = true, SingleWriter = true }))
            .ToArray();
        var gate = new object();
        var done = new Dictionary<int, (TCase Case, TResult Result)>();
        var next = 0;
        var stopped = false;

        async Task ProduceAsync()
        {
            try
            {
                for (var i = 0; i < count && !stop.IsCancellationRequested; i++)
                {
                    await queues[i % lanes].Writer.WriteAsync((i, generate()), stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            finally
            {
                foreach (var queue in queues)
                {
                    queue.Writer.TryComplete();
                }
            }
        }

        async Task LaneAsync(int lane)
        {
            var reader = queues[lane].Reader;
            while (await reader.WaitToReadAsync() && !stop.IsCancellationRequested)
            {
                while (!stop.IsCancellationRequested && reader.TryRead(out var item))
                {
                    var result = await run(lane, item.Case);
                    lock (gate)
                    {
                        done[item.Index] = (item.Case, result);
                        while (!stopped && done.Remove(next, out var ready))
                        {
                            if (!record(next, ready.Case, ready.Result))
                            {
                                stopped = true;
                                stop.Cancel();
                            }

                            next++;
                        }
                    }
                }
            }
        }

        async Task GuardedAsync(Func<Task> work)
        {
            try
            {
                await work();
            }
            catch
            {
                // One lane failing ends the run: the producer must not wait forever on that lane's full queue.
                stop.Cancel();
                throw;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, lanes).Select(lane => GuardedAsync(() => LaneAsync(lane))).Append(GuardedAsync(ProduceAsync)));
    }
}

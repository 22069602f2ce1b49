using CsCheck;
using ProductEvents.Fuzz.Tests.Generators;
using ProductEvents.Fuzz.Tests.Support;
using Xunit.Abstractions;

namespace ProductEvents.Fuzz.Tests;

/// <summary>
/// Hostile input on every endpoint that reads a body, against the durable host: no 5xx, no dropped connection, every
/// 4xx a problem+json naming a field or the body, nothing stored of a refused input, another app's event sent at the
/// same moment accepted and in the log, every accepted event listed, readiness 200 throughout.
/// </summary>
[Collection(FuzzCollection.Name)]
[Trait("Category", "Fuzz")]
public sealed class EndpointFuzzTests(FuzzHostFixture host, ITestOutputHelper output)
{
    public static TheoryData<FuzzEndpoint> Endpoints() => new(Enum.GetValues<FuzzEndpoint>());

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task HostileInputIsRefusedCleanlyWithoutHarmingStoredEventsOrOtherApps(FuzzEndpoint endpoint)
    {
        var settings = FuzzSettings.FromEnvironment();
        var cases = settings.CasesPerEndpoint(Enum.GetValues<FuzzEndpoint>().Length);
        var generator = FuzzRequests.For(endpoint);
        var survey = new FuzzSurvey(endpoint, settings.Seed);
        var master = FuzzCaseSeeds.Master(settings.Seed, endpoint);
        string? failure = null;
        (string CaseSeed, string Property)? failed = null;
        await FuzzLanes.RunAsync(cases, settings.Lanes,
            () => FuzzCaseSeeds.Next(master, generator),
            async (lane, fuzzCase) =>
            {
                var runner = host.Runner(lane);
                var violations = await runner.RunAsync(fuzzCase.Request);
                var ready = violations.Count == 0 || await runner.AwaitReadyAsync(TimeSpan.FromSeconds(60));
                return (Violations: violations, Ready: ready);
            },
            (i, fuzzCase, result) =>
            {
                var (request, caseSeed) = fuzzCase;
                survey.Record(request, caseSeed, result.Violations);
                if (result.Violations.Count == 0 || settings.Survey)
                {
                    return true;
                }

                failed = (caseSeed, result.Violations[0].Property);
                failure = $"""
                    Case {i} of {endpoint} (seed {settings.Seed}, case seed {caseSeed}) broke: {string.Join("; ", result.Violations)}
                    Input: {request}
                    {(result.Ready ? "" : "The host did not become ready again within 60 s.\n")}
                    """;
                return false;
            });

        if (failed is { } first)
        {
            // Shrinking runs alone, on lane 0, once every lane has stopped.
            failure += $"Shrunk by CsCheck: {await ShrinkAsync(generator, first.CaseSeed, first.Property, settings.ShrinkCases)}";
        }

        output.WriteLine(survey.Table());
        if (settings.ReportFile is { } report)
        {
            await File.AppendAllTextAsync(report, survey.Table());
        }

        Assert.True(failure is null && survey.FailingCases == 0, failure ?? survey.Table());
    }

    /// <summary>CsCheck starts from the failing case's seed and looks for a smaller input breaking the same property.</summary>
    private async Task<string> ShrinkAsync(Gen<FuzzRequest> generator, string caseSeed, string property, int budget)
    {
        try
        {
            await generator.SampleAsync(async request =>
            {
                var violations = await host.Runner(0).RunAsync(request);
                if (violations.Any(v => v.Property == property))
                {
                    await host.Runner(0).AwaitReadyAsync(TimeSpan.FromSeconds(60));
                    throw new InvalidOperationException(string.Join("; ", violations));
                }
            }, seed: caseSeed, iter: budget, threads: 1, print: request => request.ToString());
            return "(not reproduced from the case seed)";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ex.Message;
        }
    }
}

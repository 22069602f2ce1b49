using ProductEvents.Bench.SegmentBench;

// One phase per process, so bench/segments.sh can restart the silo between phases; the figures accumulate in one file.
//   live|ingest|read <url> <results-file>, build <url> <results-file> warm|cold, report <results-file>
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: live|ingest|build|read <url> <results-file> [warm|cold]  |  report <results-file>");
    return 2;
}

if (args[0] == "report")
{
    Report.Write(new ResultFile(args[1]), Console.Out);
    return 0;
}

var settings = BenchSettings.FromEnvironment(args[1]);
var results = new ResultFile(args[2]);
switch (args[0])
{
    case "live":
        await LiveLatency.RunAsync(settings, results);
        break;
    case "ingest":
        await Ingest.RunAsync(settings, results);
        break;
    case "build":
        await BuildTime.RunAsync(settings, results, args.Length > 3 ? args[3] : "warm");
        break;
    case "read":
        await ReadLatency.RunAsync(settings, results, results.Get("build_warm_segment")
            ?? throw new InvalidOperationException("run build first: the read row reads the built segment"));
        break;
    default:
        Console.Error.WriteLine($"unknown phase {args[0]}");
        return 2;
}

return 0;

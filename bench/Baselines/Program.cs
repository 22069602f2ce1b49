using ProductEvents.Bench.Baselines;

// Two tools in one build: `copy-ceiling` measures PostgreSQL's binary COPY; anything else serves the HTTP baselines.
if (args.Length > 0 && args[0] == "copy-ceiling")
{
    return await CopyCeiling.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapBaselines(builder.Configuration.GetConnectionString("Postgres"));
await app.RunAsync();
return 0;

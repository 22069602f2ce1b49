using ProductEvents.Silo.Hosting;

var app = ProductEventsHost.Build(args);
await app.RunAsync();

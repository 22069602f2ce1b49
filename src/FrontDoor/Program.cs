using ProductEvents.FrontDoor;
using ProductEvents.Hosting;

if (args is [HealthProbeCommand.Name, .. var probeArgs])
{
    return await HealthProbeCommand.RunAsync(probeArgs, Console.Error);
}

var app = FrontDoorHost.Build(args);
await app.RunAsync();
return 0;

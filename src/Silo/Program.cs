using ProductEvents.Hosting;
using ProductEvents.Silo.Apps;
using ProductEvents.Silo.Hosting;
using ProductEvents.Silo.Maintenance;
using ProductEvents.Silo.Migrations;

if (args is [MigrateCommand.Name, .. var migrateArgs])
{
    return await MigrateCommand.RunAsync(migrateArgs, Console.Out, Console.Error);
}

if (args is [RepairEventsCommand.Name, .. var repairArgs])
{
    return await RepairEventsCommand.RunAsync(repairArgs, Console.Out, Console.Error);
}

if (args is [HealthProbeCommand.Name, .. var probeArgs])
{
    return await HealthProbeCommand.RunAsync(probeArgs, Console.Error);
}

if (args is [AppsCommand.Name, .. var appsArgs])
{
    return await AppsCommand.RunAsync(appsArgs, Console.Out, Console.Error);
}

var app = ProductEventsHost.Build(args);
await app.RunAsync();
return 0;

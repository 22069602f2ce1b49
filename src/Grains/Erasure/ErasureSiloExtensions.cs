using Microsoft.Extensions.DependencyInjection;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Grains.Erasure;

public static class ErasureSiloExtensions
{
    /// <summary>The erasure of contacts: the eraser and every silo's worker that runs and resumes erasures.</summary>
    public static IServiceCollection AddContactErasure(this IServiceCollection services)
    {
        services.AddSingleton<ILogApplyBarrier, LogWriterApplyBarrier>();
        services.AddSingleton<ContactEraser>();
        services.AddHostedService<ErasureWorker>();
        return services;
    }
}

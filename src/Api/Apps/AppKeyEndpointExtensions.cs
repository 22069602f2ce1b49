using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ProductEvents.Api.Apps;

public static class AppKeyEndpointExtensions
{
    /// <summary>Every endpoint of the group needs an app key; a public key only where <paramref name="allowPublicKey"/>.</summary>
    public static RouteGroupBuilder RequireAppKey(this RouteGroupBuilder group, bool allowPublicKey) =>
        group.AddEndpointFilterFactory((factory, next) =>
        {
            var filter = new AppKeyFilter(factory.ApplicationServices.GetRequiredService<AppKeyRegistry>(), allowPublicKey);
            return context => filter.InvokeAsync(context, next);
        });
}

using Microsoft.Extensions.DependencyInjection;

namespace ProductEvents.Api.Apps;

public static class AppKeyEndpointExtensions
{
    /// <summary>
    /// Every endpoint of the group needs an app key; a public key only where <paramref name="allowPublicKey"/>, and a
    /// public key in <c>?key=</c> (for <c>navigator.sendBeacon</c>, which cannot send headers) only where
    /// <paramref name="allowKeyInQuery"/>.
    /// </summary>
    public static RouteGroupBuilder RequireAppKey(this RouteGroupBuilder group, bool allowPublicKey, bool allowKeyInQuery = false) =>
        group.AddEndpointFilterFactory((factory, next) =>
        {
            var filter = new AppKeyFilter(factory.ApplicationServices.GetRequiredService<AppKeyRegistry>(), allowPublicKey, allowKeyInQuery);
            return context => filter.InvokeAsync(context, next);
        });
}

namespace ProductEvents.Abstractions;

/// <summary>
/// References to string-keyed grains for the hot paths (a grain call per product and contact of every commit). Orleans'
/// <c>GetGrain&lt;T&gt;(string)</c> resolves the interface's grain type through its attributes on every call; here
/// that happens once per interface and later references are built from the grain id.
/// </summary>
public static class KeyedGrains
{
    public static T GetKeyedGrain<T>(this IGrainFactory grains, string key)
        where T : IGrainWithStringKey => Types<T>.Reference(grains, key);

    private static class Types<T>
        where T : IGrainWithStringKey
    {
        private static Resolved? _resolved;

        public static T Reference(IGrainFactory grains, string key)
        {
            if (_resolved is { } types)
            {
                return (T)grains.GetGrain(GrainId.Create(types.GrainType, key), types.InterfaceType);
            }

            var grain = grains.GetGrain<T>(key);
            _resolved = new Resolved(grain.GetGrainId().Type, ((GrainReference)(object)grain).InterfaceType);
            return grain;
        }
    }

    private sealed record Resolved(GrainType GrainType, GrainInterfaceType InterfaceType);
}

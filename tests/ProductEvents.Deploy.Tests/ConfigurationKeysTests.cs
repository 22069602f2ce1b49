namespace ProductEvents.Deploy.Tests;

/// <summary>The checker the deploy tests use: keys the code declares pass, others fail, and a front door reads no silo key.</summary>
public sealed class ConfigurationKeysTests
{
    [Theory]
    [InlineData(Role.Silo, "Orleans__SiloPort")]
    [InlineData(Role.Silo, "ProductEvents__Http__Enabled")]
    [InlineData(Role.Silo, "ProductEvents__Deliveries__Concurrency")]
    [InlineData(Role.Silo, "POD_NAMESPACE")]
    [InlineData(Role.FrontDoor, "Orleans__ClusterId")]
    [InlineData(Role.FrontDoor, "ProductEvents__Ingest__QueueCapacity")]
    [InlineData(Role.FrontDoor, "ProductEvents__Apps__shop__SecretKey")]
    [InlineData(Role.FrontDoor, "ProductEvents__Apps__shop__AllowedOrigins__0")]
    [InlineData(Role.FrontDoor, "ConnectionStrings__Postgres")]
    [InlineData(Role.FrontDoor, "ASPNETCORE_URLS")]
    [InlineData(Role.FrontDoor, "Api__Http__KeepAliveTimeout")]
    [InlineData(Role.FrontDoor, "OpenTelemetry__Otlp__Endpoint")]
    public void KeysTheCodeDeclaresAreRead(Role role, string name) => Assert.True(ConfigurationKeys.IsRead(role, name), name);

    [Theory]
    [InlineData(Role.Silo, "Orleans__SiloPortt")]
    [InlineData(Role.Silo, "Orleans_SiloPort")]
    [InlineData(Role.Silo, "ProductEvents__Apps__SecretKey")]
    [InlineData(Role.FrontDoor, "Orleans__SiloPort")]
    [InlineData(Role.FrontDoor, "Orleans__AdvertisedIPAddress")]
    [InlineData(Role.FrontDoor, "ProductEvents__Http__Enabled")]
    [InlineData(Role.FrontDoor, "ProductEvents__Runs__BatchSize")]
    [InlineData(Role.FrontDoor, "POD_NAME")]
    [InlineData(Role.FrontDoor, "ConnectionStrings__Default")]
    public void OtherKeysAreNot(Role role, string name) => Assert.False(ConfigurationKeys.IsRead(role, name), name);
}

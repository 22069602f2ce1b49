namespace ProductEvents.Api.Tests.UserCom;

/// <summary>The typed client refuses what User.com's typed clients cannot read: the shapes this layer used to answer.</summary>
public sealed class UserComClientTests
{
    private const string Event =
        """
        {"id": 388, "event_type": "view", "product": 1, "product_custom_id": "sku-1", "user": 2, "user_custom_id": "u-1",
         "user_key": null, "timestamp": "2025-11-26T10:00:00.000000Z", "created_at": "2025-11-26T10:00:01.000000Z",
         "event_id": null, "data": {}, "custom_data": null}
        """;

    [Fact]
    public void TheDocumentedShapeIsRead()
    {
        var read = UserComClient.Read<TypedProductEvent>(Event);

        Assert.Equal(388, read.Id);
        Assert.Equal(new DateTimeOffset(2025, 11, 26, 10, 0, 0, TimeSpan.Zero), read.Timestamp);
    }

    [Theory]
    [InlineData("\"id\": 388", "\"id\": \"01a23b06-0000-0000-0000-000000000000\"")]
    [InlineData("\"id\": 388", "\"id\": \"388\"")]
    [InlineData("\"timestamp\": \"2025-11-26T10:00:00.000000Z\"", "\"timestamp\": 1764151200")]
    [InlineData("\"timestamp\": \"2025-11-26T10:00:00.000000Z\"", "\"timestamp\": \"2025-11-26T10:00:00Z\"")]
    [InlineData("\"event_type\": \"view\"", "\"event_type\": 8")]
    [InlineData("\"custom_data\": null", "\"custom_data\": null, \"event_type_name\": \"view\"")]
    [InlineData("\"product\": 1, ", "")]
    public void WhatATypedClientCannotReadFails(string documented, string other)
    {
        var changed = Event.Replace(documented, other, StringComparison.Ordinal);
        Assert.NotEqual(Event, changed);

        Assert.ThrowsAny<Exception>(() => UserComClient.Read<TypedProductEvent>(changed));
    }
}

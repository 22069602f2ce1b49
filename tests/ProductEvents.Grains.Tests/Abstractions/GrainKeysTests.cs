using ProductEvents.Abstractions;

namespace ProductEvents.Grains.Tests.Abstractions;

[Trait("Category", "Unit")]
public sealed class GrainKeysTests
{
    [Theory]
    [InlineData("demo", "sku-1")]
    [InlineData("demo", "shoes/red/42")]
    [InlineData("a", "")]
    public void ProductKeyParsesBackToAppAndProduct(string appId, string productId)
    {
        Assert.Equal((appId, productId), GrainKeys.ParseProduct(GrainKeys.Product(appId, productId)));
    }

    [Theory]
    [InlineData(false, "u-1")]
    [InlineData(true, "visitor/with/slashes")]
    public void ContactKeyParsesBackToAppAndContact(bool anonymous, string value)
    {
        var contact = new ContactRef(anonymous, value);

        Assert.Equal(("demo", contact), GrainKeys.ParseContact(GrainKeys.Contact("demo", contact)));
    }

    [Fact]
    public void UserAndVisitorWithTheSameValueAreDifferentContacts()
    {
        Assert.NotEqual(GrainKeys.Contact("demo", ContactRef.User("x")), GrainKeys.Contact("demo", ContactRef.Visitor("x")));
    }

    [Fact]
    public void KeysOfDifferentAppsDiffer()
    {
        Assert.NotEqual(GrainKeys.Product("a", "p"), GrainKeys.Product("b", "p"));
        Assert.NotEqual(GrainKeys.Contact("a", ContactRef.User("u")), GrainKeys.Contact("b", ContactRef.User("u")));
    }

    [Fact]
    public void ContactIsTheUserIdWhenGivenElseTheVisitorKey()
    {
        Assert.Equal(ContactRef.User("u"), ContactRef.From("u", "k"));
        Assert.Equal(ContactRef.Visitor("k"), ContactRef.From(null, "k"));
        Assert.Throws<ArgumentException>(() => ContactRef.From(null, null));
    }
}

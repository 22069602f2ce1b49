using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Segments;

/// <summary>A test's own app: <see cref="Api"/> holds its secret key, <see cref="Public"/> its browser key.</summary>
public sealed record SegmentApp(string Id, ApiClient Api, ApiClient Public);

using System.Buffers;
using Orleans.Serialization;
using Orleans.Storage;

namespace ProductEvents.Silo.Hosting;

/// <summary>
/// Grain snapshots in Orleans' binary format (the state types carry <c>[Id]</c>s, so fields can be added later)
/// instead of the provider's default, Newtonsoft JSON with type names: reading a contact's snapshot as JSON took more
/// CPU than everything else its activation did.
/// </summary>
public sealed class SnapshotSerializer(Serializer serializer) : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        serializer.Serialize(input, buffer);
        return new BinaryData(buffer.WrittenMemory);
    }

    public T? Deserialize<T>(BinaryData input) => serializer.Deserialize<T>(input.ToMemory());
}

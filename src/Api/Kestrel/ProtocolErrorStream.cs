using System.Buffers;
using System.IO.Pipelines;

namespace ProductEvents.Api.Kestrel;

/// <summary>
/// The connection's outgoing bytes on their way to the socket, one Kestrel flush at a time. A flush that is a bare Kestrel
/// error answer is rewritten by <see cref="ProtocolErrorProblems"/>; every other flush is passed on unchanged and unbuffered.
/// </summary>
public sealed class ProtocolErrorStream(PipeWriter inner, ProtocolErrorProblems problems) : Stream
{
    private readonly byte[] _held = new byte[ProtocolErrorProblems.MaxHeadLength];
    private int _heldLength;
    private bool _passing;
    private bool _disposed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!_passing)
        {
            // Only a flush that starts like "HTTP/1.1 4" and stays small is held back until it is whole.
            if ((_heldLength > 0 || ProtocolErrorProblems.MayStart(buffer)) && _heldLength + buffer.Length <= _held.Length)
            {
                buffer.CopyTo(_held.AsSpan(_heldLength));
                _heldLength += buffer.Length;
                return;
            }

            inner.Write(_held.AsSpan(0, _heldLength));
            _heldLength = 0;
            _passing = true;
        }

        inner.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        EndOfFlush();
        await inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            EndOfFlush();
            await inner.CompleteAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            EndOfFlush();
            inner.Complete();
        }

        base.Dispose(disposing);
    }

    private void EndOfFlush()
    {
        if (_heldLength > 0)
        {
            var held = _held.AsSpan(0, _heldLength);
            inner.Write(problems.TryRewrite(held) ?? held);
            _heldLength = 0;
        }

        _passing = false;
    }
}

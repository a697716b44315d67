using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using MimeKit;
using MimeKit.IO;

namespace MigrationEngine.Adapters.Imap;

/// <summary>
/// Lets MailKit APPEND exact bytes. MailKit only appends a <see cref="MimeMessage"/>, and re-serialising a parsed message
/// can change a malformed one. So the message has no headers of its own and its body is a <see cref="RawEntity"/> that
/// writes the original bytes verbatim. The message must come from the parser in loose mode: a message made with
/// <c>new MimeMessage()</c> is strict and would write a blank line before the body.
/// </summary>
internal static class RawMessage
{
    // One message-level header and no blank line: the body gets no headers (its type defaults to text/plain, mapped to
    // RawEntity here) and is marked "no blank line", so MimeMessage writes nothing before it once the message header is
    // cleared. Removing a header from the body itself would reset that mark.
    private static readonly byte[] Template = Encoding.ASCII.GetBytes("X-Raw: 1\r\n");

    private static readonly ParserOptions Options = CreateOptions();

    private static ParserOptions CreateOptions()
    {
        var options = new ParserOptions();
        options.RegisterMimeType("text/plain", typeof(RawEntity));
        return options;
    }

    /// <summary>An empty raw message; its <see cref="RawEntity"/> body is filled with <see cref="RawEntity.SetContent(ReadOnlyMemory{byte})"/>.</summary>
    public static MimeMessage Create()
    {
        using var template = new MemoryStream(Template, writable: false);
        // The experimental parser keeps "no blank line after the headers"; the classic one always assumes one.
        var message = new ExperimentalMimeParser(Options, template).ParseMessage();
        message.Headers.Clear();
        return message;
    }

    public static RawEntity Body(MimeMessage message) => (RawEntity)message.Body!;
}

/// <summary>
/// Raw messages kept for reuse by one target connection. Making one runs the MIME parser (about 11 KB of garbage and
/// 50 µs), and every MimeMessage left undisposed waits for the finalizer: at thousands of messages a second both show.
/// </summary>
internal sealed class RawMessagePool : IDisposable
{
    private readonly ConcurrentStack<MimeMessage> _spare = new();

    public MimeMessage Rent(ReadOnlyMemory<byte> bytes)
    {
        var message = RentEmpty();
        RawMessage.Body(message).SetContent(bytes);
        return message;
    }

    public MimeMessage Rent(Stream stream, long length)
    {
        var message = RentEmpty();
        RawMessage.Body(message).SetContent(stream, length);
        return message;
    }

    public void Return(MimeMessage message)
    {
        RawMessage.Body(message).Clear();
        _spare.Push(message);
    }

    private MimeMessage RentEmpty() => _spare.TryPop(out var message) ? message : RawMessage.Create();

    public void Dispose()
    {
        while (_spare.TryPop(out var message))
        {
            message.Dispose();
        }
    }
}

/// <summary>
/// A body that is the whole message as bytes, written unchanged (no new-line conversion), from a buffer or a stream
/// read once. MailKit measures the literal first: that is answered from the known length without reading.
/// Made only by the MIME parser (see <see cref="RawMessage"/>), which is why it is a public MimePart.
/// </summary>
public sealed class RawEntity : MimePart
{
    private ReadOnlyMemory<byte>? _bytes;
    private Stream? _stream;
    private bool _consumed;

    public RawEntity(MimeEntityConstructorArgs args) : base(args)
    {
    }

    internal void SetContent(ReadOnlyMemory<byte> bytes)
    {
        Clear();
        _bytes = bytes;
        Length = bytes.Length;
    }

    internal void SetContent(Stream stream, long length)
    {
        Clear();
        _stream = stream;
        Length = length;
    }

    /// <summary>Forgets the content (the caller owns and disposes it), so the entity can carry another message.</summary>
    internal void Clear()
    {
        _bytes = null;
        _stream = null;
        _consumed = false;
        Length = 0;
    }

    public long Length { get; private set; }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        if (stream is MeasuringStream measuring)
        {
            // Measuring only counts: grow it by the known length instead of reading the body twice.
            measuring.SetLength(measuring.Position + Length);
            measuring.Seek(0, SeekOrigin.End);
            return;
        }

        if (_bytes is { } bytes)
        {
            if (MemoryMarshal.TryGetArray(bytes, out var segment))
            {
                // Stream.Write(ReadOnlySpan) would copy into a rented array first.
                stream.Write(segment.Array!, segment.Offset, segment.Count);
            }
            else
            {
                stream.Write(bytes.Span);
            }

            return;
        }

        CopyOnce(stream, cancellationToken);
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        if (stream is MeasuringStream measuring)
        {
            // Measuring only counts: grow it by the known length instead of reading the body twice.
            measuring.SetLength(measuring.Position + Length);
            measuring.Seek(0, SeekOrigin.End);
            return;
        }

        if (_bytes is { } bytes)
        {
            await stream.WriteAsync(bytes, cancellationToken);
            return;
        }

        if (_consumed)
        {
            throw new InvalidOperationException("the message stream was already sent once and cannot be read again");
        }

        _consumed = true;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long copied = 0;
            int read;
            while ((read = await _stream!.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, Length - copied)), cancellationToken)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                copied += read;
                if (copied == Length)
                {
                    break;
                }
            }

            if (copied != Length)
            {
                // The literal length is already on the wire: a short body would corrupt the command stream.
                throw new IOException($"message content ended after {copied} of {Length} bytes");
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void CopyOnce(Stream stream, CancellationToken cancellationToken)
    {
        if (_consumed)
        {
            throw new InvalidOperationException("the message stream was already sent once and cannot be read again");
        }

        _consumed = true;
        var buffer = new byte[81920];
        long copied = 0;
        while (copied < Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = _stream!.Read(buffer, 0, (int)Math.Min(buffer.Length, Length - copied));
            if (read == 0)
            {
                break;
            }

            stream.Write(buffer, 0, read);
            copied += read;
        }

        if (copied != Length)
        {
            throw new IOException($"message content ended after {copied} of {Length} bytes");
        }
    }
}

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
    private static readonly byte[] EmptyMessage = Encoding.ASCII.GetBytes("\r\n");

    public static MimeMessage Create(RawEntity content)
    {
        using var empty = new MemoryStream(EmptyMessage, writable: false);
        var message = MimeMessage.Load(empty);
        message.Headers.Clear();
        message.Body = content;
        return message;
    }
}

/// <summary>
/// A body that is the whole message as bytes, written unchanged (no new-line conversion), from a buffer or a stream
/// read once. MailKit measures the literal first: that is answered from the known length without reading.
/// </summary>
internal sealed class RawEntity : MimeEntity
{
    private readonly byte[]? _bytes;
    private readonly Stream? _stream;
    private bool _consumed;

    public RawEntity(byte[] bytes) : base(new ContentType("message", "rfc822"))
    {
        _bytes = bytes;
        Length = bytes.Length;
        RemoveHeader("Content-Type");
    }

    public RawEntity(Stream stream, long length) : base(new ContentType("message", "rfc822"))
    {
        _stream = stream;
        Length = length;
        RemoveHeader("Content-Type");
    }

    public long Length { get; }

    /// <summary>True when the bytes can be sent again (a buffer), false for a stream that was read.</summary>
    public bool Replayable => _bytes is not null;

    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
        // Verbatim: nothing to re-encode.
    }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        if (stream is MeasuringStream measuring)
        {
            measuring.Seek(Length, SeekOrigin.Current);
            return;
        }

        if (_bytes is not null)
        {
            stream.Write(_bytes, 0, _bytes.Length);
            return;
        }

        CopyOnce(stream, cancellationToken);
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        if (stream is MeasuringStream measuring)
        {
            measuring.Seek(Length, SeekOrigin.Current);
            return;
        }

        if (_bytes is not null)
        {
            await stream.WriteAsync(_bytes, cancellationToken);
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

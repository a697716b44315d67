using System.Text;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// A recorded IMAP conversation replayed without a server, in the manner of MailKit's own tests (ImapReplayStream): the
/// stream answers each command the client writes with the server's recorded lines. A transcript is text: lines starting
/// <c>S: </c> are sent by the server; a line <c>C: COMMAND...</c> is what the client must send next (compared without its
/// tag, up to the length written, case-insensitively), and <c>{tag}</c> in the server lines after it is that command's tag.
/// A client command that differs from the transcript fails the read with the difference, so a test cannot pass by chance.
/// </summary>
public sealed class ImapTranscript : Stream
{
    private readonly List<(string? Expected, string Server)> _turns = [];
    private readonly MemoryStream _pending = new();
    private readonly StringBuilder _written = new();
    private int _next;

    public ImapTranscript(string transcript)
    {
        string? expected = null;
        var server = new StringBuilder();
        foreach (var raw in transcript.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (raw.StartsWith("C: ", StringComparison.Ordinal))
            {
                _turns.Add((expected, server.ToString()));
                expected = raw[3..];
                server.Clear();
            }
            else if (raw.StartsWith("S: ", StringComparison.Ordinal))
            {
                server.Append(raw[3..]).Append("\r\n");
            }
        }

        _turns.Add((expected, server.ToString()));
        Queue(_turns[_next++].Server, tag: null);
    }

    /// <summary>Every command the client sent, without tags, in order.</summary>
    public List<string> Commands { get; } = [];

    /// <summary>Bytes the server side sent (what a real server would have put on the wire).</summary>
    public long BytesSent { get; private set; }

    /// <summary>What a read throws once the server side is said, instead of ending the stream (a reset socket, a stall).</summary>
    public Exception? FailWhenDone { get; init; }

    /// <summary>True when every recorded command was sent.</summary>
    public bool Finished => _next >= _turns.Count;

    private void Queue(string text, string? tag)
    {
        var bytes = Encoding.UTF8.GetBytes(tag is null ? text : text.Replace("{tag}", tag, StringComparison.Ordinal));
        var position = _pending.Position;
        _pending.Seek(0, SeekOrigin.End);
        _pending.Write(bytes);
        _pending.Position = position;
        BytesSent += bytes.Length;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_pending.Position >= _pending.Length)
        {
            // The recorded server said everything; a real one would close the connection now (or fail it: FailWhenDone).
            return FailWhenDone is null ? 0 : throw FailWhenDone;
        }

        return _pending.Read(buffer, offset, count);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var array = new byte[buffer.Length];
        var read = Read(array, 0, array.Length);
        array.AsSpan(0, read).CopyTo(buffer.Span);
        return ValueTask.FromResult(read);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _written.Append(Encoding.UTF8.GetString(buffer, offset, count));
        while (true)
        {
            var text = _written.ToString();
            var end = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                return;
            }

            var line = text[..end];
            _written.Remove(0, end + 2);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var tag = space > 0 ? line[..space] : line;
            var command = space > 0 ? line[(space + 1)..] : string.Empty;
            Commands.Add(command);

            if (_next >= _turns.Count)
            {
                throw new InvalidOperationException($"the client sent '{command}' after the transcript ended");
            }

            var (expected, server) = _turns[_next++];
            if (expected is null || !command.StartsWith(expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"the client sent '{command}' where the transcript has '{expected}'");
            }

            Queue(server, tag);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.ToArray(), 0, buffer.Length);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

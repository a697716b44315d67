using System.Runtime.CompilerServices;
namespace MigrationEngine.Adapters.Files.Common;

/// <summary>
/// Undoes mboxrd quoting while streaming: a line matching <c>^&gt;+From </c> loses exactly one '&gt;'.
/// Writers of mboxo (and Google Takeout) quote <c>From </c> lines the same way, so this gives back the
/// original bytes for both, except the rare mboxo body line that really began with "&gt;From ".
/// </summary>
internal sealed class MboxrdUnescapeStream(Stream inner) : Stream
{
    private const int MaxQuoteRun = 4096;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _innerDone;
    private bool _atLineStart = true;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>True when the text starts with <c>&gt;+From </c>.</summary>
    public static bool IsQuotedFromLine(ReadOnlySpan<byte> text)
    {
        var quotes = 0;
        while (quotes < text.Length && text[quotes] == (byte)'>')
        {
            quotes++;
        }

        return quotes > 0 && text[quotes..].StartsWith("From "u8);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int Read(Span<byte> destination)
    {
        var written = 0;
        while (written < destination.Length)
        {
            if (_start == _end && !Fill())
            {
                break;
            }

            if (_atLineStart)
            {
                _atLineStart = false;
                if (_buffer[_start] == (byte)'>' && QuotedFromLineAhead())
                {
                    _start++;
                    continue;
                }
            }

            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            var take = newline >= 0 ? newline + 1 : available.Length;
            take = Math.Min(take, destination.Length - written);
            available[..take].CopyTo(destination[written..]);
            written += take;
            _start += take;
            if (newline >= 0 && take == newline + 1)
            {
                _atLineStart = true;
            }
        }

        _position += written;
        return written;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool QuotedFromLineAhead()
    {
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var quotes = 0;
            while (quotes < available.Length && available[quotes] == (byte)'>')
            {
                quotes++;
            }

            if (available.Length >= quotes + 5 || quotes > MaxQuoteRun)
            {
                return IsQuotedFromLine(available);
            }

            if (!FillMore())
            {
                return IsQuotedFromLine(available);
            }
        }
    }

    private bool Fill()
    {
        _start = 0;
        _end = 0;
        return FillMore();
    }

    /// <summary>Appends more bytes after the unread ones (moving them to the front); false at end of input.</summary>
    private bool FillMore()
    {
        if (_innerDone)
        {
            return false;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            return false;
        }

        var read = inner.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _innerDone = true;
            return false;
        }

        _end += read;
        return true;
    }
}

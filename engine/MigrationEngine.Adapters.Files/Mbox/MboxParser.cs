using System.Globalization;
using System.Runtime.CompilerServices;
using MigrationEngine.Adapters.Files.Common;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Mbox;

/// <summary>Where one message of an mbox file lies, and what its headers say.</summary>
internal sealed record MboxEntry(
    long FromOffset,
    long ContentOffset,
    long StoredLength,
    int QuotedLines,
    DateTimeOffset? EnvelopeDate,
    MessageHeaders Headers,
    string? Problem)
{
    public string SourceId => FromOffset.ToString(CultureInfo.InvariantCulture);

    /// <summary>Bytes served to a target: the stored bytes less one '&gt;' per quoted From line.</summary>
    public long Size => StoredLength - QuotedLines;

    public MboxSpan Span => new(ContentOffset, StoredLength, QuotedLines);
}

/// <summary>What <c>FetchAsync</c> needs to serve a message again.</summary>
internal readonly record struct MboxSpan(long ContentOffset, long StoredLength, int QuotedLines)
{
    public long Size => StoredLength - QuotedLines;
}

/// <summary>
/// Splits an mbox into messages, fed with chunks of the file. A message starts at a line "From " at the start of
/// the file or after a blank line; the blank line before it is the separator, not part of the previous message.
/// Only header sections are kept (up to 1 MB each); bodies are skipped, so memory does not grow with message size.
/// </summary>
internal sealed class MboxParser(string path)
{
    /// <summary>A line longer than this is handled in pieces: only its start matters for boundaries.</summary>
    public const int LineLookahead = 4096;

    private readonly List<MboxEntry> _completed = [];
    private readonly HeaderSectionCollector _header = new();
    private bool _started;
    private bool _inLongLine;
    private bool _previousBlank;
    private int _previousBlankLength;

    private bool _hasCurrent;
    private bool _inFromLine;
    private long _fromOffset;
    private long _contentOffset;
    private DateTimeOffset? _envelopeDate;
    private int _quoted;
    private bool _inHeaders;
    private MessageHeaders? _headers;

    // The scan runs once per byte of an mbox: compile it optimized at once rather than through the tiers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Process(ReadOnlySpan<byte> data, long dataOffset, bool endOfFile)
    {
        var index = 0;
        while (index < data.Length)
        {
            var rest = data[index..];
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (!endOfFile && rest.Length < LineLookahead && !_inLongLine)
                {
                    break;
                }

                HandleLine(rest, dataOffset + index, complete: false);
                index = data.Length;
                break;
            }

            HandleLine(rest[..(newline + 1)], dataOffset + index, complete: true);
            index += newline + 1;
        }

        return index;
    }

    /// <summary>Messages completed since the last call.</summary>
    public List<MboxEntry> TakeCompleted()
    {
        var result = new List<MboxEntry>(_completed);
        _completed.Clear();
        return result;
    }

    public void Finish(long fileLength)
    {
        if (!_hasCurrent)
        {
            return;
        }

        if (_inLongLine || _inFromLine)
        {
            FinishCurrent(fileLength, "the mbox file ends in the middle of a line: the last message may be truncated");
            return;
        }

        FinishCurrent(fileLength - (_previousBlank ? _previousBlankLength : 0), null);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HandleLine(ReadOnlySpan<byte> part, long offset, bool complete)
    {
        var lineStart = !_inLongLine;
        _inLongLine = !complete;
        var blank = lineStart && complete && (part.Length == 1 || (part.Length == 2 && part[0] == (byte)'\r'));

        if (lineStart)
        {
            if (!_started)
            {
                if (blank)
                {
                    return;
                }

                if (!part.StartsWith("From "u8))
                {
                    throw new MigrationException(Diagnose.NotAnMboxFile(SourceLocation.None(path), path,
                        hint: "check that the file is an mbox export, or use type eml for single messages"));
                }

                _started = true;
            }

            if (part.StartsWith("From "u8) && (_previousBlank || !_hasCurrent))
            {
                if (_hasCurrent)
                {
                    FinishCurrent(offset - _previousBlankLength, null);
                }

                StartMessage(offset, part);
                _previousBlank = false;
                if (complete)
                {
                    _inFromLine = false;
                    _contentOffset = offset + part.Length;
                }

                return;
            }

            if (_hasCurrent && part[0] == (byte)'>' && MboxrdUnescapeStream.IsQuotedFromLine(part))
            {
                _quoted++;
            }
        }

        if (_inFromLine)
        {
            if (complete)
            {
                _inFromLine = false;
                _contentOffset = offset + part.Length;
            }

            return;
        }

        if (_hasCurrent && _inHeaders)
        {
            if (blank)
            {
                _inHeaders = false;
                _headers = ParseHeaders();
            }
            else
            {
                _header.Add(part, lineStart);
            }
        }

        _previousBlank = blank;
        _previousBlankLength = blank ? part.Length : 0;
    }

    private void StartMessage(long offset, ReadOnlySpan<byte> fromLine)
    {
        _hasCurrent = true;
        _inFromLine = true;
        _fromOffset = offset;
        _contentOffset = offset + fromLine.Length;
        _envelopeDate = EnvelopeDate.Parse(fromLine);
        _quoted = 0;
        _inHeaders = true;
        _headers = null;
        _header.Reset();
    }

    private void FinishCurrent(long end, string? problem)
    {
        var headers = _inHeaders ? ParseHeaders() : _headers ?? MessageHeaders.Empty;
        var storedLength = Math.Max(0, end - _contentOffset);
        var problems = new[]
        {
            storedLength == 0 ? "the message is empty" : headers.Problem,
            _header.Truncated ? $"the header section keeps more than {HeaderSectionCollector.MaxBytes / (1024 * 1024)} MB of the fields the engine reads" : null,
            problem,
        }.OfType<string>().ToList();

        _completed.Add(new MboxEntry(
            _fromOffset,
            _contentOffset,
            storedLength,
            storedLength == 0 ? 0 : _quoted,
            _envelopeDate,
            headers,
            problems.Count == 0 ? null : string.Join("; ", problems)));
        _hasCurrent = false;
    }

    private MessageHeaders ParseHeaders() => MessageHeaders.Parse(_header.Section);
}

using MigrationEngine.Core.Execution;
using MimeKit;
using MimeKit.Utils;

namespace MigrationEngine.Adapters.Files.Common;

/// <summary>The few header fields the file adapters need before a body is read.</summary>
internal sealed record MessageHeaders
{
    public static readonly MessageHeaders Empty = new();

    public int Count { get; init; }
    public string? MessageId { get; init; }
    public string? Date { get; init; }
    public DateTimeOffset? ParsedDate { get; init; }
    public string? From { get; init; }
    public string? Subject { get; init; }
    public string? GmailLabels { get; init; }
    /// <summary>mbox <c>Status:</c> (R = read) and <c>X-Status:</c> (A answered, F flagged, D deleted, T draft).</summary>
    public string? Status { get; init; }
    public string? XStatus { get; init; }
    /// <summary>Set when the header section could not be read as headers.</summary>
    public string? Problem { get; init; }

    public string DedupKey => DedupKeys.Compute(MessageId, Date, From, Subject);

    public MailFlags StatusFlags
    {
        get
        {
            var flags = MailFlags.None;
            if (Status is not null && Status.Contains('R', StringComparison.Ordinal))
            {
                flags |= MailFlags.Seen;
            }

            if (XStatus is not null)
            {
                if (XStatus.Contains('A', StringComparison.Ordinal))
                {
                    flags |= MailFlags.Answered;
                }

                if (XStatus.Contains('F', StringComparison.Ordinal))
                {
                    flags |= MailFlags.Flagged;
                }

                if (XStatus.Contains('D', StringComparison.Ordinal))
                {
                    flags |= MailFlags.Deleted;
                }

                if (XStatus.Contains('T', StringComparison.Ordinal))
                {
                    flags |= MailFlags.Draft;
                }
            }

            return flags;
        }
    }

    /// <summary>
    /// Parses a header section (the bytes before the first blank line). Never throws: input that is not
    /// headers gives <see cref="Count"/> 0 and a <see cref="Problem"/>.
    /// </summary>
    public static MessageHeaders Parse(ReadOnlySpan<byte> section)
    {
        if (section.IsEmpty)
        {
            return new MessageHeaders { Problem = "the message has no header section" };
        }

        if (!LooksLikeHeaderLine(section))
        {
            return new MessageHeaders { Problem = "the message does not start with a header field" };
        }

        HeaderList headers;
        try
        {
            // A trailing blank line tells the parser the section is complete.
            var bytes = new byte[section.Length + 1];
            section.CopyTo(bytes);
            bytes[^1] = (byte)'\n';
            using var stream = new MemoryStream(bytes, writable: false);
            headers = HeaderList.Load(ParserOptions.Default, stream);
        }
        catch (FormatException error)
        {
            return new MessageHeaders { Problem = "the header section cannot be parsed: " + error.Message };
        }

        string? First(HeaderId id)
        {
            var index = headers.IndexOf(id);
            return index < 0 ? null : headers[index].Value;
        }

        string? FirstNamed(string name)
        {
            var index = headers.IndexOf(name);
            return index < 0 ? null : headers[index].Value;
        }

        var date = First(HeaderId.Date);
        DateTimeOffset? parsed = date is not null && DateUtils.TryParse(date, out var value) ? value : null;
        return new MessageHeaders
        {
            Count = headers.Count,
            MessageId = First(HeaderId.MessageId),
            Date = date,
            ParsedDate = parsed,
            From = First(HeaderId.From),
            Subject = First(HeaderId.Subject),
            GmailLabels = FirstNamed("X-Gmail-Labels"),
            Status = FirstNamed("Status"),
            XStatus = FirstNamed("X-Status"),
            Problem = headers.Count == 0 ? "the message has no header fields" : null,
        };
    }

    /// <summary>A field name (printable ASCII without ':' or space) followed by ':'.</summary>
    private static bool LooksLikeHeaderLine(ReadOnlySpan<byte> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch == (byte)':')
            {
                return i > 0;
            }

            if (ch <= 32 || ch >= 127)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>How much of a file one read takes while looking for the end of the header section.</summary>
    public const int ReadBufferSize = 64 * 1024;

    /// <summary>Reads the header section of a message file, as <see cref="HeaderSectionCollector"/> keeps it (the same rule as an mbox scan).</summary>
    public static MessageHeaders ReadFromFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        return Read(stream);
    }

    /// <summary>
    /// The header section of a whole message held in memory, read as <see cref="ReadFromFile"/> reads the file: a buffer one
    /// byte longer than a small message takes it in one read and sees its end with the next, as the file's reads do.
    /// </summary>
    public static MessageHeaders Read(byte[] message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var stream = new MemoryStream(message, writable: false);
        return Read(stream, (int)Math.Min(ReadBufferSize, message.Length + 1L));
    }

    /// <summary>Reads the header section at the start of <paramref name="stream"/>: up to the first blank line, or all of it.</summary>
    public static MessageHeaders Read(Stream stream) => Read(stream, ReadBufferSize);

    private static MessageHeaders Read(Stream stream, int bufferSize)
    {
        var collector = new HeaderSectionCollector();
        var buffer = new byte[bufferSize];
        var filled = 0;
        var inLongLine = false;
        var endOfFile = false;
        while (true)
        {
            if (!endOfFile)
            {
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                endOfFile = read == 0;
                filled += read;
            }

            var index = 0;
            while (index < filled)
            {
                var rest = buffer.AsSpan(index, filled - index);
                var newline = rest.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    // Lines shorter than the mbox scanner's look-ahead are always handed over whole, as there.
                    if (!endOfFile && rest.Length < Mbox.MboxParser.LineLookahead && !inLongLine)
                    {
                        break;
                    }

                    collector.Add(rest, !inLongLine);
                    inLongLine = true;
                    index = filled;
                    break;
                }

                var line = rest[..(newline + 1)];
                var lineStart = !inLongLine;
                inLongLine = false;
                if (lineStart && (line.Length == 1 || (line.Length == 2 && line[0] == (byte)'\r')))
                {
                    return Parse(collector.Section);
                }

                collector.Add(line, lineStart);
                index += newline + 1;
            }

            if (endOfFile && index >= filled)
            {
                // No blank line: the whole file is the header section (as far as the collector keeps it).
                return Parse(collector.Section);
            }

            buffer.AsSpan(index, filled - index).CopyTo(buffer);
            filled -= index;
        }
    }
}

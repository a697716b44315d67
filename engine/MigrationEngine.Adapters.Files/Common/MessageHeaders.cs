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

    public MessageFlags StatusFlags
    {
        get
        {
            var flags = MessageFlags.None;
            if (Status is not null && Status.Contains('R', StringComparison.Ordinal))
            {
                flags |= MessageFlags.Seen;
            }

            if (XStatus is not null)
            {
                if (XStatus.Contains('A', StringComparison.Ordinal))
                {
                    flags |= MessageFlags.Answered;
                }

                if (XStatus.Contains('F', StringComparison.Ordinal))
                {
                    flags |= MessageFlags.Flagged;
                }

                if (XStatus.Contains('D', StringComparison.Ordinal))
                {
                    flags |= MessageFlags.Deleted;
                }

                if (XStatus.Contains('T', StringComparison.Ordinal))
                {
                    flags |= MessageFlags.Draft;
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

    /// <summary>Length of the header section at the start of <paramref name="text"/>, or -1 when no blank line is in it.</summary>
    public static int HeaderSectionLength(ReadOnlySpan<byte> text)
    {
        if (text.StartsWith("\n"u8) || text.StartsWith("\r\n"u8))
        {
            return 0;
        }

        var lf = text.IndexOf("\n\n"u8);
        var crlf = text.IndexOf("\n\r\n"u8);
        var end = (lf, crlf) switch
        {
            (< 0, < 0) => -1,
            (< 0, _) => crlf,
            (_, < 0) => lf,
            _ => Math.Min(lf, crlf),
        };
        return end < 0 ? -1 : end + 1;
    }

    /// <summary>Reads the header section of a message file (at most 1 MB of it).</summary>
    public static MessageHeaders ReadFromFile(string path)
    {
        const int Limit = 1024 * 1024;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new byte[16 * 1024];
        var filled = 0;
        while (true)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(filled), filled);
            filled += read;
            var section = HeaderSectionLength(buffer.AsSpan(0, filled));
            if (section >= 0)
            {
                return Parse(buffer.AsSpan(0, section));
            }

            if (read == 0 || filled >= Limit)
            {
                // No blank line: the whole file (or its first megabyte) is the header section.
                return Parse(buffer.AsSpan(0, filled));
            }

            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 4);
            }
        }
    }
}

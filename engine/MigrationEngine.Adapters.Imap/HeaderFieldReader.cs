using MimeKit;

namespace MigrationEngine.Adapters.Imap;

/// <summary>
/// Picks the dedup key's header fields out of a message's raw bytes the way an IMAP server answers
/// <c>BODY.PEEK[HEADER.FIELDS (MESSAGE-ID DATE FROM SUBJECT)]</c>: the first line of each field with its folded
/// continuation lines, parsed by MimeKit as MailKit parses that answer. So a key worked out from fetched bytes equals the
/// key the same message gives when a target lists it. Only a header section every server reads alike is accepted
/// (field name, colon, value; continuation lines; CRLF or LF); anything else is left to the server to answer.
/// </summary>
internal static class HeaderFieldReader
{
    /// <summary>A header section longer than this is left to the server (the caller passes at most this much).</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    private static readonly string[] Names = HeaderSetNames.Names;

    /// <summary>
    /// The <see cref="HeaderSetNames.Names"/> fields of <paramref name="message"/>, first occurrence of each; false when the
    /// header section is not plainly formed, or does not end within <paramref name="message"/>.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> message, out HeaderList headers)
    {
        headers = new HeaderList();
        Span<int> starts = stackalloc int[Names.Length];
        Span<int> ends = stackalloc int[Names.Length];
        starts.Fill(-1);
        var current = -1;
        var position = 0;
        while (true)
        {
            var newline = message[position..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                // The header section does not end in what was given.
                return false;
            }

            var lineEnd = position + newline + 1;
            var line = message[position..(lineEnd - 1)];
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                break;
            }

            if (line.IndexOfAny((byte)'\r', (byte)0) >= 0)
            {
                return false;
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (position == 0)
                {
                    return false;
                }

                if (current >= 0)
                {
                    ends[current] = lineEnd;
                }
            }
            else
            {
                var colon = line.IndexOf((byte)':');
                if (colon <= 0 || !IsFieldName(line[..colon]))
                {
                    return false;
                }

                current = IndexOfName(line[..colon]);
                if (current >= 0 && starts[current] >= 0)
                {
                    // A repeated field: the first one counts, as MimeKit's HeaderList lookup returns it.
                    current = -1;
                }

                if (current >= 0)
                {
                    starts[current] = position;
                    ends[current] = lineEnd;
                }
            }

            position = lineEnd;
        }

        for (var i = 0; i < Names.Length; i++)
        {
            if (starts[i] >= 0)
            {
                var field = message[starts[i]..ends[i]].ToArray();
                if (!Header.TryParse(ParserOptions.Default, field, out var header))
                {
                    return false;
                }

                headers.Add(header);
            }
        }

        return true;
    }

    /// <summary>RFC 5322 field name: printable ASCII except colon, no white space.</summary>
    private static bool IsFieldName(ReadOnlySpan<byte> name)
    {
        foreach (var ch in name)
        {
            if (ch is < 33 or > 126)
            {
                return false;
            }
        }

        return true;
    }

    private static int IndexOfName(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (EqualsIgnoreCase(name, Names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool EqualsIgnoreCase(ReadOnlySpan<byte> name, string expected)
    {
        if (name.Length != expected.Length)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            if (char.ToUpperInvariant((char)name[i]) != expected[i])
            {
                return false;
            }
        }

        return true;
    }
}

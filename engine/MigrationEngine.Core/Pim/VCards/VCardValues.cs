using System.Text;

namespace MigrationEngine.Core.Pim.VCards;

/// <summary>Escaping and splitting of vCard values (RFC 6350 3.4, RFC 2426 4: \\ \, \; \n; vCard 2.1: \; only).</summary>
public static class VCardValues
{
    /// <summary>Text to its escaped form: backslash, comma, semicolon and line breaks (CRLF, LF, CR become \n).</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case ',': builder.Append(@"\,"); break;
                case ';': builder.Append(@"\;"); break;
                case '\r':
                    builder.Append(@"\n");
                    if (i + 1 < text.Length && text[i + 1] == '\n')
                        i++;
                    break;
                case '\n': builder.Append(@"\n"); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Resolves escapes. 3.0 / 4.0: \\ \, \; \n \N, and \: which Apple writes in URLs; any other backslash stays as it is.
    /// 2.1 (<paramref name="legacy"/>) knows only \; so a Windows path in an Outlook note keeps its backslashes.
    /// </summary>
    public static string Unescape(string raw, bool legacy = false)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (!raw.Contains('\\', StringComparison.Ordinal))
            return raw;
        var builder = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '\\' || i + 1 >= raw.Length)
            {
                builder.Append(c);
                continue;
            }

            var next = raw[i + 1];
            string? resolved = legacy
                ? next == ';' ? ";" : null
                : next switch
                {
                    '\\' => "\\",
                    ',' => ",",
                    ';' => ";",
                    ':' => ":",
                    'n' or 'N' => "\n",
                    _ => null,
                };
            if (resolved is null)
            {
                builder.Append(c);
                continue;
            }

            builder.Append(resolved);
            i++;
        }

        return builder.ToString();
    }

    /// <summary>Splits on <paramref name="separator"/> where it is not escaped by a backslash; the parts keep their escapes.</summary>
    public static IReadOnlyList<string> SplitUnescaped(string raw, char separator)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\')
            {
                i++;
                continue;
            }

            if (raw[i] == separator)
            {
                parts.Add(raw[start..i]);
                start = i + 1;
            }
        }

        parts.Add(raw[start..]);
        return parts;
    }

    /// <summary>Decodes a base64 value, ignoring the whitespace that folding leaves in it; null when it is not base64.</summary>
    public static byte[]? DecodeBase64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var compact = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
                compact.Append(c);
        }

        var buffer = new byte[compact.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(compact.ToString(), buffer, out var written) ? buffer[..written] : null;
    }

    /// <summary>Decodes an RFC 2397 data URI (data:image/jpeg;base64,...); null when it is not a base64 data URI or not valid.</summary>
    public static byte[]? DecodeDataUri(string value, out string? mediaType)
    {
        ArgumentNullException.ThrowIfNull(value);
        mediaType = null;
        if (!value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            return null;
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
            return null;
        var header = value[5..comma];
        if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            return null;
        mediaType = header[..^";base64".Length];
        return DecodeBase64(value[(comma + 1)..]);
    }
}

using System.Text;

namespace MigrationEngine.Adapters.Files.Common;

/// <summary>
/// IMAP modified UTF-7 (RFC 3501 §5.1.3), as Dovecot uses for Maildir++ folder names: printable ASCII
/// stays, '&amp;' is "&amp;-", anything else is UTF-16BE in base64 with ',' for '/' between '&amp;' and '-'.
/// </summary>
public static class ModifiedUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    /// <summary>Encodes <paramref name="text"/>; characters in <paramref name="alsoEncode"/> are base64-encoded even when printable.</summary>
    public static string Encode(string text, string alsoEncode = "")
    {
        var builder = new StringBuilder(text.Length + 8);
        var index = 0;
        while (index < text.Length)
        {
            var ch = text[index];
            if (ch == '&')
            {
                builder.Append("&-");
                index++;
                continue;
            }

            if (IsDirect(ch, alsoEncode))
            {
                builder.Append(ch);
                index++;
                continue;
            }

            var start = index;
            while (index < text.Length && !IsDirect(text[index], alsoEncode) && text[index] != '&')
            {
                index++;
            }

            builder.Append('&');
            AppendBase64(builder, Encoding.BigEndianUnicode.GetBytes(text[start..index]));
            builder.Append('-');
        }

        return builder.ToString();
    }

    /// <summary>Decodes; a malformed '&amp;' sequence is kept as written rather than failing.</summary>
    public static string Decode(string text)
    {
        if (!text.Contains('&', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var index = 0;
        while (index < text.Length)
        {
            var ch = text[index];
            if (ch != '&')
            {
                builder.Append(ch);
                index++;
                continue;
            }

            var end = text.IndexOf('-', index + 1);
            if (end < 0)
            {
                builder.Append(text, index, text.Length - index);
                break;
            }

            if (end == index + 1)
            {
                builder.Append('&');
                index = end + 1;
                continue;
            }

            var decoded = TryDecodeBase64(text.AsSpan(index + 1, end - index - 1));
            if (decoded is null)
            {
                builder.Append(text, index, end - index + 1);
            }
            else
            {
                builder.Append(decoded);
            }

            index = end + 1;
        }

        return builder.ToString();
    }

    private static bool IsDirect(char ch, string alsoEncode) => ch is >= ' ' and <= '~' && ch != '&' && !alsoEncode.Contains(ch, StringComparison.Ordinal);

    private static void AppendBase64(StringBuilder builder, byte[] bytes)
    {
        var bits = 0;
        var buffer = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 6)
            {
                bits -= 6;
                builder.Append(Alphabet[(buffer >> bits) & 0x3F]);
            }
        }

        if (bits > 0)
        {
            builder.Append(Alphabet[(buffer << (6 - bits)) & 0x3F]);
        }
    }

    private static string? TryDecodeBase64(ReadOnlySpan<char> text)
    {
        var bytes = new List<byte>(text.Length);
        var bits = 0;
        var buffer = 0;
        foreach (var ch in text)
        {
            var value = Alphabet.IndexOf(ch, StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }

            buffer = (buffer << 6) | value;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)((buffer >> bits) & 0xFF));
            }
        }

        if (bytes.Count % 2 != 0)
        {
            return null;
        }

        return Encoding.BigEndianUnicode.GetString(bytes.ToArray());
    }
}

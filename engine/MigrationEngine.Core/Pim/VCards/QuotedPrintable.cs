using System.Text;

namespace MigrationEngine.Core.Pim.VCards;

/// <summary>
/// Quoted-printable as vCard 2.1 and 3.0 exports use it (Outlook: NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=windows-1252),
/// RFC 2045 6.7. Soft line breaks are joined by the reader before the value comes here.
/// </summary>
internal static class QuotedPrintable
{
    /// <summary>The decoded bytes, or null with a reason when an '=' is not followed by two hex digits.</summary>
    public static byte[]? Decode(string encoded, out string? problem)
    {
        problem = null;
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c != '=')
            {
                if (c < 0x80)
                {
                    bytes.Add((byte)c);
                }
                else
                {
                    // Text that was already decoded from the file: its characters go back as UTF-8.
                    var length = char.IsHighSurrogate(c) && i + 1 < encoded.Length && char.IsLowSurrogate(encoded[i + 1]) ? 2 : 1;
                    bytes.AddRange(Encoding.UTF8.GetBytes(encoded.Substring(i, length)));
                    i += length - 1;
                }

                continue;
            }

            if (i + 2 >= encoded.Length || !IsHex(encoded[i + 1]) || !IsHex(encoded[i + 2]))
            {
                problem = $"broken quoted-printable at character {i + 1} (\"{Excerpt(encoded, i)}\")";
                return null;
            }

            bytes.Add((byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2])));
            i += 2;
        }

        return bytes.ToArray();
    }

    /// <summary>
    /// Encodes UTF-8 text for a 2.1 content line: everything outside printable ASCII (and '=') as =XX, soft line breaks
    /// so no line exceeds 76 characters. <paramref name="firstLineUsed"/> is what the name and parameters take already.
    /// </summary>
    public static string Encode(string text, int firstLineUsed)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var builder = new StringBuilder(bytes.Length * 2);
        var lineLength = firstLineUsed;
        foreach (var b in bytes)
        {
            var token = b is >= 33 and <= 126 && b != (byte)'=' || b == (byte)' ' ? ((char)b).ToString() : $"={b:X2}";
            if (lineLength + token.Length > 75)
            {
                builder.Append("=\r\n");
                lineLength = 0;
            }

            builder.Append(token);
            lineLength += token.Length;
        }

        // A line must not end in a space (RFC 2045: trailing white space is removed in transport).
        if (builder.Length > 0 && builder[^1] == ' ')
        {
            builder.Length--;
            builder.Append("=20");
        }

        return builder.ToString();
    }

    /// <summary>Charset by its name (UTF-8, ISO-8859-1, windows-1252...), or null when unknown.</summary>
    public static Encoding? Charset(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        try
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(name.Trim()) ?? Encoding.GetEncoding(name.Trim());
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Text of decoded bytes: the named charset, else UTF-8 when the bytes are valid UTF-8, else windows-1252 (what
    /// Outlook writes when it names no charset).
    /// </summary>
    public static string ToText(byte[] bytes, Encoding? charset)
    {
        if (charset is not null)
            return charset.GetString(bytes);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (CodePagesEncodingProvider.Instance.GetEncoding(1252) ?? Encoding.Latin1).GetString(bytes);
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (char.ToUpperInvariant(c) - 'A') + 10;

    private static string Excerpt(string text, int at) => text.Substring(at, Math.Min(3, text.Length - at));
}

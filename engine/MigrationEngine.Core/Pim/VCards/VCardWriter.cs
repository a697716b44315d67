using System.Text;

namespace MigrationEngine.Core.Pim.VCards;

/// <summary>
/// Writes cards in their own version: CRLF line ends, VERSION right after BEGIN (RFC 6350 6.7.9), lines folded at 75
/// octets without splitting a UTF-8 sequence (RFC 6350 3.2). 3.0 and 4.0 escape line breaks as \n; 2.1 has no such
/// escape and no lossless folding of text, so its non-ASCII, multi-line or long text goes out as quoted-printable UTF-8.
/// </summary>
public static class VCardWriter
{
    private const int MaxLineOctets = 75;

    public static string Write(VCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var version = card.VersionKind;
        var builder = new StringBuilder();
        builder.Append("BEGIN:VCARD\r\n");
        var versionProperty = card.First("VERSION");
        if (versionProperty is not null)
            WriteProperty(builder, versionProperty, version);
        foreach (var property in card.Properties)
        {
            if (!ReferenceEquals(property, versionProperty))
                WriteProperty(builder, property, version);
        }

        builder.Append("END:VCARD\r\n");
        return builder.ToString();
    }

    public static string Write(IEnumerable<VCard> cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        return string.Concat(cards.Select(Write));
    }

    private static void WriteProperty(StringBuilder builder, VCardProperty property, VCardVersion version)
    {
        var parameters = property.Parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var encoding = parameters.TryGetValue("ENCODING", out var encodings) ? encodings.FirstOrDefault() : null;
        var isBase64 = encoding is not null && (encoding.Equals("B", StringComparison.OrdinalIgnoreCase) || encoding.Equals("BASE64", StringComparison.OrdinalIgnoreCase));
        var value = property.RawValue;

        if (version == VCardVersion.V21 && !isBase64 && NeedsQuotedPrintable(value, property.Name.Length + 1))
        {
            parameters["ENCODING"] = ["QUOTED-PRINTABLE"];
            if (value.Any(c => c > 0x7F))
                parameters["CHARSET"] = ["UTF-8"];
            var header = Header(property, parameters, version);
            var text = value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace("\n", "\r\n", StringComparison.Ordinal);
            builder.Append(header).Append(':').Append(QuotedPrintable.Encode(text, header.Length + 1)).Append("\r\n");
            return;
        }

        if (version != VCardVersion.V21)
            value = value.Replace("\r\n", @"\n", StringComparison.Ordinal).Replace("\r", @"\n", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);
        Fold(builder, Header(property, parameters, version) + ":" + value);
        if (version == VCardVersion.V21 && isBase64)
            builder.Append("\r\n"); // vCard 2.1 2.1.3: a base64 value ends with a blank line
    }

    /// <summary>2.1 text that a 2.1 reader could not take back whole from a plain line.</summary>
    private static bool NeedsQuotedPrintable(string value, int headerLength) =>
        value.Any(c => c is < ' ' or > '~') || Encoding.UTF8.GetByteCount(value) + headerLength > MaxLineOctets
        || value.EndsWith(' ') || value.StartsWith(' ');

    private static string Header(VCardProperty property, Dictionary<string, IReadOnlyList<string>> parameters, VCardVersion version)
    {
        var header = new StringBuilder();
        if (property.Group is not null)
            header.Append(property.Group).Append('.');
        header.Append(property.Name);
        foreach (var (name, values) in parameters)
        {
            if (version == VCardVersion.V21)
            {
                // 2.1 has no value lists: TYPE values stand alone (TEL;WORK;VOICE), others repeat the name.
                foreach (var value in values)
                    header.Append(';').Append(name.Equals("TYPE", StringComparison.OrdinalIgnoreCase) ? ParameterValue(value, version) : name + "=" + ParameterValue(value, version));
                continue;
            }

            header.Append(';').Append(name).Append('=').Append(string.Join(',', values.Select(v => ParameterValue(v, version))));
        }

        return header.ToString();
    }

    /// <summary>
    /// Quotes a value holding ':' ';' or ','. A double quote or line break cannot stand in a quoted value: 4.0 writes them
    /// with RFC 6868's caret escapes (^' ^n ^^), older versions as a single quote and a space.
    /// </summary>
    private static string ParameterValue(string value, VCardVersion version)
    {
        if (version == VCardVersion.V4)
            value = value.Replace("^", "^^", StringComparison.Ordinal).Replace("\"", "^'", StringComparison.Ordinal).Replace("\r\n", "^n", StringComparison.Ordinal).Replace("\n", "^n", StringComparison.Ordinal);
        else
            value = value.Replace('"', '\'').Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ');
        return value.IndexOfAny([':', ';', ',']) >= 0 ? "\"" + value + "\"" : value;
    }

    /// <summary>Folds at 75 octets (the continuation's leading space counts), never inside a UTF-8 sequence or surrogate pair.</summary>
    private static void Fold(StringBuilder builder, string line)
    {
        var octets = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            var length = rune.Utf8SequenceLength;
            if (octets + length > MaxLineOctets)
            {
                builder.Append("\r\n ");
                octets = 1;
            }

            builder.Append(rune.ToString());
            octets += length;
        }

        builder.Append("\r\n");
    }
}

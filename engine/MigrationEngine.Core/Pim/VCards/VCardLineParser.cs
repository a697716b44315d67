using System.Text;

namespace MigrationEngine.Core.Pim.VCards;

/// <summary>One unfolded content line to a <see cref="VCardProperty"/>: name, group, parameters, transfer decoding.</summary>
internal static class VCardLineParser
{
    // vCard 2.1 lets a parameter be written by its value alone (TEL;WORK;VOICE, NOTE;QUOTED-PRINTABLE, PHOTO;BASE64).
    private static readonly HashSet<string> BareEncodings = new(StringComparer.OrdinalIgnoreCase) { "QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B" };
    private static readonly HashSet<string> BareValueTypes = new(StringComparer.OrdinalIgnoreCase) { "INLINE", "URL", "URI", "CID", "CONTENT-ID" };

    public static VCardProperty? Parse(string line, VCardVersion version, out string? problem)
    {
        problem = null;
        var colon = ValueColon(line);
        if (colon < 0)
        {
            problem = $"no ':' in \"{Excerpt(line)}\"";
            return null;
        }

        var header = SplitOutsideQuotes(line[..colon], ';');
        var rawValue = line[(colon + 1)..];
        var fullName = header[0].Trim();
        var dot = fullName.IndexOf('.', StringComparison.Ordinal);
        var group = dot > 0 ? fullName[..dot] : null;
        var name = dot > 0 ? fullName[(dot + 1)..] : fullName;
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            problem = $"\"{Excerpt(fullName)}\" is not a property name";
            return null;
        }

        var parameters = new List<KeyValuePair<string, List<string>>>();
        foreach (var token in header.Skip(1))
            AddParameter(parameters, token, version);

        var legacy = version == VCardVersion.V21;
        var encoding = First(parameters, "ENCODING");
        if (encoding is not null && encoding.Equals("QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase))
        {
            var bytes = QuotedPrintable.Decode(rawValue, out var qpProblem);
            var charsetName = First(parameters, "CHARSET");
            var charset = QuotedPrintable.Charset(charsetName);
            if (bytes is null || (charsetName is not null && charset is null))
            {
                problem = $"{name}: {qpProblem ?? $"unknown CHARSET \"{charsetName}\""}";
                return Build(name, rawValue, group, parameters, legacy, null);
            }

            // The text is decoded now; the writer encodes it again as the version needs.
            parameters.RemoveAll(p => IsName(p, "ENCODING") || IsName(p, "CHARSET"));
            return Build(name, QuotedPrintable.ToText(bytes, charset), group, parameters, legacy, null);
        }

        // A .NET string is text already; a CHARSET would only mislead the writer, which writes UTF-8.
        parameters.RemoveAll(p => IsName(p, "CHARSET"));
        if (encoding is not null && (encoding.Equals("B", StringComparison.OrdinalIgnoreCase) || encoding.Equals("BASE64", StringComparison.OrdinalIgnoreCase)))
        {
            var compact = string.Concat(rawValue.Where(c => !char.IsWhiteSpace(c)));
            var data = VCardValues.DecodeBase64(compact);
            if (data is null)
                problem = $"{name}: invalid base64";
            return Build(name, compact, group, parameters, legacy, data);
        }

        if (rawValue.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && rawValue.Contains(";base64,", StringComparison.OrdinalIgnoreCase))
        {
            var data = VCardValues.DecodeDataUri(rawValue, out _);
            if (data is null)
                problem = $"{name}: invalid base64 in data: URI";
            return Build(name, rawValue, group, parameters, legacy, data);
        }

        return Build(name, rawValue, group, parameters, legacy, null);
    }

    private static VCardProperty Build(string name, string raw, string? group, List<KeyValuePair<string, List<string>>> parameters, bool legacy, byte[]? data) =>
        new(name, raw, group, parameters.Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Key, p.Value)), legacy, data);

    private static void AddParameter(List<KeyValuePair<string, List<string>>> parameters, string token, VCardVersion version)
    {
        token = token.Trim();
        if (token.Length == 0)
            return;
        var equals = token.IndexOf('=', StringComparison.Ordinal);
        string key;
        List<string> values;
        if (equals < 0)
        {
            key = BareEncodings.Contains(token) ? "ENCODING" : BareValueTypes.Contains(token) ? "VALUE" : "TYPE";
            values = [token];
        }
        else
        {
            key = token[..equals].Trim().ToUpperInvariant();
            values = SplitOutsideQuotes(token[(equals + 1)..], ',').Select(v => ParameterValue(v, version)).ToList();
        }

        var existing = parameters.FindIndex(p => IsName(p, key));
        if (existing >= 0)
            parameters[existing].Value.AddRange(values);
        else
            parameters.Add(new(key, values));
    }

    /// <summary>Unquotes a parameter value; in 4.0 also resolves RFC 6868's ^n ^^ ^' (line break, caret, double quote).</summary>
    private static string ParameterValue(string value, VCardVersion version)
    {
        value = value.Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            value = value[1..^1];
        if (version != VCardVersion.V4 || !value.Contains('^', StringComparison.Ordinal))
            return value;
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var next = i + 1 < value.Length ? value[i + 1] : '\0';
            if (value[i] == '^' && next is 'n' or '^' or '\'')
            {
                builder.Append(next switch { 'n' => '\n', '^' => '^', _ => '"' });
                i++;
            }
            else
            {
                builder.Append(value[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsName(KeyValuePair<string, List<string>> parameter, string name) =>
        string.Equals(parameter.Key, name, StringComparison.OrdinalIgnoreCase);

    private static string? First(List<KeyValuePair<string, List<string>>> parameters, string name) =>
        parameters.FirstOrDefault(p => IsName(p, name)).Value?.FirstOrDefault();

    internal static int ValueColon(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
                quoted = !quoted;
            else if (line[i] == ':' && !quoted)
                return i;
        }

        return -1;
    }

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var parts = new List<string>();
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
                quoted = !quoted;
            else if (text[i] == separator && !quoted)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    private static string Excerpt(string text) => text.Length <= 40 ? text : text[..40] + "...";
}

namespace MigrationEngine.Core.Pim;

/// <summary>
/// The content lines shared by iCalendar (RFC 5545 3.1) and vCard (RFC 6350 3.2): physical lines end in CRLF (or a lone LF
/// from hand-made files), and a line that starts with a space or tab continues the one before. Only unfolding and the name
/// and parameters of a line are read here; values are the vCard library's and Ical.Net's business.
/// </summary>
public static class ContentLines
{
    /// <summary>Logical lines with the physical lines they came from (kept as written, so an item is copied as it was).</summary>
    public static IEnumerable<(string Logical, string Raw)> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var physical = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        string? logical = null;
        var raw = new System.Text.StringBuilder();
        foreach (var line in physical)
        {
            if (logical is not null && line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                logical += line[1..];
                raw.Append("\r\n").Append(line);
                continue;
            }

            if (logical is not null)
            {
                yield return (logical, raw.ToString());
            }

            raw.Clear();
            logical = line.Length == 0 ? null : line;
            raw.Append(line);
        }

        if (logical is not null)
        {
            yield return (logical, raw.ToString());
        }
    }

    /// <summary>The property name of a logical line, upper case, without a group (<c>item1.TEL</c> is TEL).</summary>
    public static string NameOf(string logical)
    {
        var end = logical.IndexOfAny([';', ':']);
        var name = end < 0 ? logical : logical[..end];
        var dot = name.LastIndexOf('.');
        return (dot < 0 ? name : name[(dot + 1)..]).Trim().ToUpperInvariant();
    }

    /// <summary>The value after the first ':' that is not inside a quoted parameter value.</summary>
    public static string ValueOf(string logical)
    {
        var quoted = false;
        for (var i = 0; i < logical.Length; i++)
        {
            if (logical[i] == '"')
            {
                quoted = !quoted;
            }
            else if (logical[i] == ':' && !quoted)
            {
                return logical[(i + 1)..];
            }
        }

        return string.Empty;
    }

    /// <summary>A parameter's value (<c>TZID</c> of <c>DTSTART;TZID="Europe/Berlin":...</c>), unquoted; null when absent.</summary>
    public static string? ParameterOf(string logical, string parameter)
    {
        var colon = logical.Length - ValueOf(logical).Length - 1;
        var head = colon > 0 ? logical[..colon] : logical;
        foreach (var part in SplitParameters(head).Skip(1))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && string.Equals(part[..equals].Trim(), parameter, StringComparison.OrdinalIgnoreCase))
            {
                return part[(equals + 1)..].Trim().Trim('"');
            }
        }

        return null;
    }

    private static IEnumerable<string> SplitParameters(string head)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < head.Length; i++)
        {
            if (head[i] == '"')
            {
                quoted = !quoted;
            }
            else if (head[i] == ';' && !quoted)
            {
                yield return head[start..i];
                start = i + 1;
            }
        }

        yield return head[start..];
    }
}

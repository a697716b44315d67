using System.Globalization;
using System.Text;

namespace MigrationEngine.Core.Pim.VCards;

/// <summary>
/// Reads vCard 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350) text, many cards per file, as real exports write them: folded lines
/// (CRLF or bare LF, then a space or tab), quoted-printable with soft line breaks and CHARSET (Outlook), base64 PHOTO
/// (ENCODING=b, BASE64, data: URIs), Apple's grouped properties. It never throws on bad input: a card it cannot read whole
/// comes back with a <see cref="VCard.Problem"/>.
/// </summary>
public static class VCardReader
{
    public static IReadOnlyList<VCard> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = SplitLines(text);
        var cards = new List<VCard>();
        CardLines? open = null;
        var index = 0;
        while (index < lines.Count)
        {
            var start = index;
            var logical = ReadLogicalLine(lines, ref index, open?.Version == VCardVersion.V21);
            if (logical.Trim().Length == 0)
                continue;
            if (IsMarker(logical, "BEGIN"))
            {
                if (open is not null)
                    cards.Add(open.Build(lines, start - 1, "missing END:VCARD before the next BEGIN:VCARD"));
                open = new CardLines(start);
                continue;
            }

            if (open is null)
                continue; // text between cards (a BOM line, a blank, a stray header) belongs to no card
            if (IsMarker(logical, "END"))
            {
                cards.Add(open.Build(lines, index - 1, problem: null));
                open = null;
                continue;
            }

            open.Add(logical, start + 1);
        }

        if (open is not null)
            cards.Add(open.Build(lines, lines.Count - 1, "missing END:VCARD at the end of the text"));
        return cards;
    }

    private static bool IsMarker(string line, string marker)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && string.Equals(line[..colon].Trim(), marker, StringComparison.OrdinalIgnoreCase)
            && string.Equals(line[(colon + 1)..].Trim(), "VCARD", StringComparison.OrdinalIgnoreCase);
    }

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\r' && text[i] != '\n')
                continue;
            lines.Add(text[start..i]);
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                i++;
            start = i + 1;
        }

        if (start < text.Length)
            lines.Add(text[start..]);
        if (lines.Count > 0 && lines[0].StartsWith('\uFEFF'))
            lines[0] = lines[0][1..];
        return lines;
    }

    /// <summary>
    /// Joins a content line with its continuations: lines that start with a space or tab (RFC 6350 3.2 removes the line
    /// break and that one character; vCard 2.1 folds at white space and keeps it), and quoted-printable soft line breaks
    /// (a quoted-printable value ending in '=' goes on with the next line as it stands).
    /// </summary>
    private static string ReadLogicalLine(List<string> lines, ref int index, bool legacyFolding)
    {
        var builder = new StringBuilder(lines[index]);
        index++;
        var quotedPrintable = HeaderOf(builder.ToString()).Contains("QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase);
        while (index < lines.Count)
        {
            var next = lines[index];
            if (quotedPrintable && builder.Length > 0 && builder[^1] == '=')
            {
                builder.Length--;
                builder.Append(next);
                index++;
            }
            else if (next.Length > 0 && (next[0] == ' ' || next[0] == '\t'))
            {
                builder.Append(legacyFolding ? next : next[1..]);
                index++;
            }
            else
            {
                break;
            }
        }

        return builder.ToString();
    }

    /// <summary>The part of a content line before its first ':' outside double quotes.</summary>
    private static string HeaderOf(string line)
    {
        var colon = VCardLineParser.ValueColon(line);
        return colon < 0 ? line : line[..colon];
    }

    /// <summary>The logical lines of one card until its END, then the properties they make.</summary>
    private sealed class CardLines(int beginIndex)
    {
        private readonly List<(string Line, int Number)> _lines = [];

        public VCardVersion? Version { get; private set; }

        public void Add(string line, int number)
        {
            _lines.Add((line, number));
            if (Version is null && HeaderOf(line).Trim().Equals("VERSION", StringComparison.OrdinalIgnoreCase))
                Version = VCardVersions.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        }

        public VCard Build(List<string> physical, int lastIndex, string? problem)
        {
            var problems = new List<string>();
            var properties = new List<VCardProperty>();
            var version = Version ?? VCardVersion.V3;
            foreach (var (line, number) in _lines)
            {
                var property = VCardLineParser.Parse(line, version, out var lineProblem);
                if (lineProblem is not null)
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"line {number}: {lineProblem}"));
                if (property is not null)
                    properties.Add(property);
            }

            if (problem is not null)
                problems.Add(problem);
            var last = Math.Min(lastIndex, physical.Count - 1);
            return new VCard(properties)
            {
                Line = beginIndex + 1,
                Problem = problems.Count == 0 ? null : string.Join("; ", problems),
                SourceText = string.Concat(physical.Skip(beginIndex).Take(last - beginIndex + 1).Select(l => l + "\r\n")),
            };
        }
    }
}

using System.Globalization;
using System.Text;

namespace MigrationEngine.Adapters.Files.Mbox;

/// <summary>The date of an mbox "From sender Wed Nov 27 08:58:36 2026" line (asctime, optionally with a zone).</summary>
internal static class EnvelopeDate
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public static DateTimeOffset? Parse(ReadOnlySpan<byte> fromLine)
    {
        if (fromLine.Length > 1000)
        {
            fromLine = fromLine[..1000];
        }

        var text = Encoding.Latin1.GetString(fromLine);
        var tokens = text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        // tokens[0] is "From", tokens[1] the envelope sender; the date follows: [weekday] month day time [zone] year.
        for (var start = 2; start < tokens.Length - 3; start++)
        {
            var month = Array.IndexOf(Months, tokens[start].ToLowerInvariant());
            if (month < 0)
            {
                continue;
            }

            if (!int.TryParse(tokens[start + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
                || !TimeSpan.TryParseExact(tokens[start + 2], [@"hh\:mm\:ss", @"hh\:mm"], CultureInfo.InvariantCulture, out var time))
            {
                return null;
            }

            var offset = TimeSpan.Zero;
            var yearIndex = start + 3;
            if (tokens[yearIndex].Length == 5 && tokens[yearIndex][0] is '+' or '-'
                && int.TryParse(tokens[yearIndex].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var zone))
            {
                offset = new TimeSpan(zone / 100, zone % 100, 0) * (tokens[yearIndex][0] == '-' ? -1 : 1);
                yearIndex++;
            }

            if (yearIndex >= tokens.Length
                || !int.TryParse(tokens[yearIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
                || year is < 1970 or > 9999 || day is < 1 or > 31 || time >= TimeSpan.FromDays(1))
            {
                return null;
            }

            try
            {
                return new DateTimeOffset(year, month + 1, day, 0, 0, 0, offset).Add(time);
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;
            }
        }

        return null;
    }
}

using System.Globalization;

namespace MigrationEngine.Core.Binding;

/// <summary>Parsers for the plan's value notations: sizes (binary units, as Exchange counts), ISO 8601 dates, durations.</summary>
public static class ValueParsers
{
    /// <summary><c>35MB</c> = 35 × 1,048,576 bytes. KB/MB/GB and KiB/MiB/GiB are both binary; <c>B</c> is bytes.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var trimmed = text.Trim();
        var unitStart = 0;
        while (unitStart < trimmed.Length && (char.IsAsciiDigit(trimmed[unitStart]) || trimmed[unitStart] == '.'))
        {
            unitStart++;
        }

        if (unitStart == 0 || !decimal.TryParse(trimmed.AsSpan(0, unitStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        long multiplier = trimmed[unitStart..].Trim() switch
        {
            "B" or "" => 1,
            "KB" or "KiB" => 1024,
            "MB" or "MiB" => 1024 * 1024,
            "GB" or "GiB" => 1024L * 1024 * 1024,
            _ => 0,
        };
        if (multiplier == 0 || number > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = (long)(number * multiplier);
        return true;
    }

    public static string FormatSize(long bytes) =>
        bytes % (1024 * 1024) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)}MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

    /// <summary>ISO 8601 date or date-time; no offset means UTC.</summary>
    public static bool TryParseDate(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value)
        && text.Length >= 10 && text[4] == '-' && text[7] == '-';

    /// <summary><c>30d</c>, <c>12h</c>, <c>2w</c> (s, m, h, d, w).</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount > 100_000)
        {
            return false;
        }

        value = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            'w' => TimeSpan.FromDays(amount * 7),
            _ => TimeSpan.MinValue,
        };
        return value != TimeSpan.MinValue;
    }

    /// <summary>An e-mail address, or a plain login name as IMAP servers and file layouts use them (letters, digits, . _ % + -).</summary>
    public static bool IsValidMailboxName(string text) =>
        text.Contains('@', StringComparison.Ordinal)
            ? IsValidEmail(text)
            : text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-') && text[0] != '.';

    /// <summary>A practical address check: one '@', a local part without spaces or '/', a dotted domain of valid labels.</summary>
    public static bool IsValidEmail(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != text.LastIndexOf('@') || at == text.Length - 1 || text.Length > 254 || at > 64)
        {
            return false;
        }

        foreach (var c in text.AsSpan(0, at))
        {
            // '/' is legal in RFC 5322 but no Exchange, Graph or IMAP mailbox uses it, and in a file layout it is a path.
            if (c <= ' ' || c == '\x7f' || c is '(' or ')' or ',' or ':' or ';' or '<' or '>' or '[' or ']' or '\\' or '"' or '/')
            {
                return false;
            }
        }

        if (text[0] == '.' || text[at - 1] == '.' || text.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        return IsValidDomain(text.AsSpan(at + 1));
    }

    public static bool IsValidDomain(ReadOnlySpan<char> domain)
    {
        if (domain.IndexOf('.') < 0)
        {
            return false;
        }

        var labelLength = 0;
        var previous = '.';
        foreach (var c in domain)
        {
            if (c == '.')
            {
                if (labelLength == 0 || previous == '-')
                {
                    return false;
                }

                labelLength = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '-' || c > 127)
            {
                if (labelLength == 0 && c == '-')
                {
                    return false;
                }

                labelLength++;
                if (labelLength > 63)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }

            previous = c;
        }

        return labelLength > 0 && previous != '-';
    }
}

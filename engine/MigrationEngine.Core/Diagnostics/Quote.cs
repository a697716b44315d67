using System.Text;

namespace MigrationEngine.Core.Diagnostics;

/// <summary>
/// How a diagnostic quotes what a user wrote: one cell or value, control characters shown as '?', cut at 80
/// characters. A file that is not what it claims (a CSV that is really /proc/self/environ) must not be printed whole.
/// </summary>
public static class Quote
{
    public const int MaxCellLength = 80;

    public static string Cell(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var cut = text.Length > MaxCellLength;
        var builder = new StringBuilder(Math.Min(text.Length, MaxCellLength) + 1);
        foreach (var c in cut ? text.AsSpan(0, MaxCellLength) : text.AsSpan())
        {
            builder.Append(char.IsControl(c) || char.IsSurrogate(c) ? '?' : c);
        }

        return cut ? builder.Append('…').ToString() : builder.ToString();
    }
}

using System.Globalization;

namespace MigrationEngine.Core.Diagnostics;

/// <summary>
/// Text output for many diagnostics of one kind in one file (a 50,000-row CSV with a bad column gives 50,000): the first
/// <see cref="ShownPerGroup"/> of each code and file are printed as they are, then one line says how many more there are
/// and on which lines. JSON output lists every diagnostic; the counts in the closing line count every one.
/// </summary>
public static class DiagnosticGroups
{
    public const int ShownPerGroup = 10;

    /// <summary>The lines to print, in the diagnostics' order; a group's summary follows its last shown diagnostic.</summary>
    public static IEnumerable<string> TextLines(IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var groups = diagnostics.GroupBy(d => (d.Code, d.File)).ToDictionary(g => g.Key, g => g.ToList());
        var shown = new Dictionary<(string, string), int>();
        foreach (var diagnostic in diagnostics)
        {
            var key = (diagnostic.Code, diagnostic.File);
            var count = shown[key] = shown.GetValueOrDefault(key) + 1;
            if (count <= ShownPerGroup)
            {
                yield return diagnostic.ToMsBuildString();
            }

            var group = groups[key];
            if (count == ShownPerGroup && group.Count > ShownPerGroup)
            {
                var rest = group.Skip(ShownPerGroup).ToList();
                var lines = rest.Where(d => d.Line > 0).Select(d => d.Line).ToList();
                var where = lines.Count == 0 ? string.Empty
                    : lines.Min() == lines.Max() ? string.Create(CultureInfo.InvariantCulture, $" (line {lines.Min()})")
                    : string.Create(CultureInfo.InvariantCulture, $" (lines {lines.Min()} to {lines.Max()})");
                var severity = diagnostic.Severity switch { DiagnosticSeverity.Error => "error", DiagnosticSeverity.Warning => "warning", _ => "info" };
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"{diagnostic.File}: {severity} {diagnostic.Code}: {rest.Count:N0} more like the above{where} (hint: '--output json' lists every one)");
            }
        }
    }
}

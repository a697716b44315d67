using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MigrationEngine.Core.Diffing;

/// <summary>Renders a <see cref="PlanDiff"/> as text (terminal), JSON (tools) or Markdown (a pull-request comment).</summary>
public static class PlanDiffRenderer
{
    public static string Render(PlanDiff diff, string format) => format switch
    {
        "json" => Json(diff),
        "markdown" => Markdown(diff),
        _ => Text(diff),
    };

    public static string Text(PlanDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Plan {diff.PlanName}: {diff.OldDisplay} -> {diff.NewDisplay}\n");
        if (!diff.HasChanges)
        {
            text.Append("No differences.\n");
            return text.ToString();
        }

        foreach (var change in diff.Changes)
        {
            text.Append(Symbol(change)).Append(' ').Append(change.Category).Append(' ').Append(change.Subject);
            text.Append(": ").Append(Details(change)).Append('\n');
            if (change.Risk is not null)
            {
                text.Append("    RISK: ").Append(change.Risk).Append('\n');
            }
        }

        text.Append(Summary(diff)).Append('\n');
        return text.ToString();
    }

    public static string Markdown(PlanDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### Plan diff: `{diff.PlanName}`\n\n");
        if (!diff.HasChanges)
        {
            text.Append("No differences.\n");
            return text.ToString();
        }

        text.Append(Summary(diff)).Append("\n\n");
        if (diff.RiskCount > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"> **Warning:** {diff.RiskCount} change(s) touch work already recorded in state ({Cell(diff.StateLocation ?? "state")}).\n\n");
        }

        text.Append("| | What | Change | Risk |\n|---|---|---|---|\n");
        foreach (var change in diff.Changes)
        {
            text.Append("| ").Append(Symbol(change)).Append(" | ")
                .Append(Cell(change.Category)).Append(" `").Append(Code(change.Subject)).Append("` | ")
                .Append(Cell(Details(change))).Append(" | ")
                .Append(change.Risk is null ? string.Empty : "**" + Cell(change.Risk) + "**").Append(" |\n");
        }

        return text.ToString();
    }

    public static string Json(PlanDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var document = new
        {
            format_version = "1",
            plan = diff.PlanName,
            old = diff.OldDisplay,
            @new = diff.NewDisplay,
            state = diff.StateLocation,
            changed = diff.HasChanges,
            risks = diff.RiskCount,
            changes = diff.Changes.Select(c => new
            {
                category = c.Category,
                subject = c.Subject,
                change = c.KindText,
                field = c.Field,
                before = c.Before,
                after = c.After,
                risk = c.Risk,
            }),
        };
        // Relaxed escaping keeps "<literal secret>" and "->" readable; the output is not embedded in HTML.
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static string Summary(PlanDiff diff)
    {
        int Count(PlanChangeKind kind) => diff.Changes.Count(c => c.Kind == kind);
        return string.Create(CultureInfo.InvariantCulture,
            $"{diff.Changes.Count} change(s): {Count(PlanChangeKind.Added)} added, {Count(PlanChangeKind.Removed)} removed, {Count(PlanChangeKind.Changed)} changed, {Count(PlanChangeKind.Moved)} moved, {Count(PlanChangeKind.Retargeted)} retargeted; {diff.RiskCount} risk(s).");
    }

    private static string Symbol(PlanChange change) => change.Kind switch
    {
        PlanChangeKind.Added => "+",
        PlanChangeKind.Removed => "-",
        _ => "~",
    };

    private static string Details(PlanChange change) => change.Kind switch
    {
        PlanChangeKind.Added => "added" + (change.After is null ? string.Empty : $" ({change.After})"),
        PlanChangeKind.Removed => "removed" + (change.Before is null ? string.Empty : $" ({change.Before})"),
        _ => $"{change.KindText} {change.Field}: {change.Before} -> {change.After}",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Code(string text) => text.Replace("`", "'", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);
}

using MigrationEngine.Core.Binding;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// Secrets only as <c>env:</c> or <c>file:</c> references: a literal in the plan is refused unless the plan opts in
/// (<c>spec.options.allowPlaintextSecrets</c>, itself a warning); a reference names something; a <c>file:</c> stays inside
/// the allowed roots, is a regular file and is readable by its owner only (a warning otherwise). Plain passwords in a
/// mailbox CSV (Microsoft's IMAP format has a Password column) get one diagnostic per CSV, naming the file and the number
/// of rows, accepted when the set opts in for its CSV (<c>allowPlaintextPasswords: true</c>) or the plan for everything.
/// No diagnostic ever holds a value.
/// </summary>
internal static class SecretRules
{
    public static void Check(BoundPlan plan, DiagnosticBag diagnostics)
    {
        if (plan.AllowPlaintextSecretsEntry is { } allow)
        {
            diagnostics.Add(Diagnose.PlaintextSecretsAllowed(plan.Loc(allow.Key)));
        }

        var paths = new PlanPaths(Path.GetDirectoryName(plan.PlanFullPath) ?? Directory.GetCurrentDirectory(), plan.AllowedRoots);
        var plainCsvPasswords = new Dictionary<BoundMailboxSet, (int Rows, SourceLocation First)>();
        foreach (var secret in plan.Secrets)
        {
            if (SecretReference.LooksLikeReference(secret.Text))
            {
                CheckReference(secret, paths, diagnostics);
            }
            else if (secret.CsvSet is { } set)
            {
                plainCsvPasswords[set] = plainCsvPasswords.TryGetValue(set, out var tally) ? (tally.Rows + 1, tally.First) : (1, secret.Where);
            }
            else if (!plan.AllowPlaintextSecrets)
            {
                diagnostics.Add(Diagnose.LiteralSecret(secret.Where, secret.PlanPath ?? ""));
            }
        }

        foreach (var (set, (rows, first)) in plainCsvPasswords)
        {
            ReportCsvPasswords(plan, set, rows, first, diagnostics);
        }
    }

    private static void CheckReference(BoundSecret secret, PlanPaths paths, DiagnosticBag diagnostics)
    {
        var text = secret.Text;
        var named = text.StartsWith("env:", StringComparison.Ordinal) ? text[4..] : text[5..];
        if (string.IsNullOrWhiteSpace(named))
        {
            diagnostics.Add(Diagnose.EmptySecretReference(secret.Where, text));
            return;
        }

        if (SecretReference.Parse(text).Kind != SecretKind.File)
        {
            return;
        }

        var reason = paths.Check(named, out var fullPath);
        if (reason is not null)
        {
            diagnostics.Add(Diagnose.PathNotAllowed(secret.Where,
                "file:", Quote.Cell(named), reason, hint: "keep secret files under the plan's folder, or list their folder in spec.options.allowedRoots"));
            return;
        }

        if (!Path.Exists(fullPath))
        {
            // A file made later (by a secret manager at run time) is checked when it is read; validate cannot know.
            return;
        }

        if (RegularFile.Problem(fullPath, PlanBinder.MaxSecretBytes) is { } problem)
        {
            diagnostics.Add(Diagnose.PlanFileNotUsable(secret.Where, "file:", Quote.Cell(named), problem));
            return;
        }

        if (SecretFiles.LooseMode(fullPath) is { } mode)
        {
            diagnostics.Add(Diagnose.SecretFileLoosePermissions(secret.Where, Quote.Cell(named), mode, hint: $"chmod 600 {Quote.Cell(named)}"));
        }
    }

    private static void ReportCsvPasswords(BoundPlan plan, BoundMailboxSet set, int rows, SourceLocation first, DiagnosticBag diagnostics)
    {
        var csv = set.Csv!;
        var optIn = set.Node?.FindEntry("allowPlaintextPasswords");
        var setAllows = optIn?.Value is YamlTreeScalar allow && YamlScalars.AsBoolean(allow) == true;
        if (setAllows)
        {
            diagnostics.Add(Diagnose.CsvPlaintextPasswordsAccepted(plan.Loc(optIn!.Key),
                csv.DisplayPath, rows, $"mailboxSets.{set.Name}.allowPlaintextPasswords is true"));
        }
        else if (plan.AllowPlaintextSecrets)
        {
            diagnostics.Add(Diagnose.CsvPlaintextPasswordsAccepted(first,
                csv.DisplayPath, rows, "spec.options.allowPlaintextSecrets is true"));
        }
        else
        {
            diagnostics.Add(Diagnose.LiteralCsvPassword(first,
                csv.DisplayPath, rows, first.Line,
                hint: $"write env:NAME or file:PATH in each row, or accept this CSV's passwords with allowPlaintextPasswords: true on mailbox set '{set.Name}' (they are never logged)"));
        }
    }
}

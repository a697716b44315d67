using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Secrets;
using Newtonsoft.Json.Linq;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// Plain passwords in a mailbox CSV (Microsoft's IMAP format has a Password column): one diagnostic per CSV, naming the
/// file and the number of rows, instead of one per row; accepted when the set opts in for its CSV
/// (<c>allowPlaintextPasswords: true</c>) or the plan for everything (<c>spec.options.allowPlaintextSecrets</c>).
/// No diagnostic ever holds a value.
/// </summary>
public sealed partial class SemanticValidator
{
    private sealed class CsvPasswordTally
    {
        public int Rows { get; set; }
        public SourceLocation First { get; set; }
    }

    /// <summary>A row's Password field: a checked reference, or a literal that is counted (and reported once per CSV).</summary>
    private SecretReference? CsvPassword(string text, SourceLocation where, CsvPasswordTally tally)
    {
        if (SecretReference.LooksLikeReference(text))
        {
            return CheckSecretText(text, where, () => DiagnosticCatalog.LiteralCsvPassword.Create(where));
        }

        tally.Rows++;
        if (tally.Rows == 1)
        {
            tally.First = where;
        }

        return SecretReference.Parse(text);
    }

    private void ReportCsvPasswords(SetState set, CsvMailboxFile csv, CsvPasswordTally tally)
    {
        if (tally.Rows == 0)
        {
            return;
        }

        var optIn = set.Node?.FindEntry("allowPlaintextPasswords");
        var setAllows = optIn?.Value is YamlTreeScalar allow && YamlJson.ScalarValue(allow) is { Type: JTokenType.Boolean } value && (bool)value;
        if (setAllows)
        {
            _diagnostics.Add(DiagnosticCatalog.CsvPlaintextPasswordsAccepted, Loc(optIn!.Key), null,
                csv.DisplayPath, tally.Rows, $"mailboxSets.{set.Name}.allowPlaintextPasswords is true");
        }
        else if (_allowPlaintext)
        {
            _diagnostics.Add(DiagnosticCatalog.CsvPlaintextPasswordsAccepted, tally.First, null,
                csv.DisplayPath, tally.Rows, "spec.options.allowPlaintextSecrets is true");
        }
        else
        {
            _diagnostics.Add(DiagnosticCatalog.LiteralCsvPassword, tally.First,
                $"write env:NAME or file:PATH in each row, or accept this CSV's passwords with allowPlaintextPasswords: true on mailbox set '{set.Name}' (they are never logged)",
                csv.DisplayPath, tally.Rows, tally.First.Line);
        }
    }
}

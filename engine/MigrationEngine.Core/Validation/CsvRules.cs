using MigrationEngine.Core.Binding;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// A mailbox CSV against the migrations that use it: the columns each migration type needs (Microsoft's CSV formats), and
/// Microsoft's 50,000-row limit for IMAP batches into Exchange Online. Rows that cannot become entries are reported where
/// they are bound (<see cref="PlanBinder"/>); a CSV whose header does not fit has no rows bound at all.
/// </summary>
internal static class CsvRules
{
    private const int MaxImapCsvRows = 50_000;

    public static void Check(BoundPlan plan, DiagnosticBag diagnostics)
    {
        foreach (var set in plan.Sets.Values)
        {
            if (set.Csv is not { } csv)
            {
                continue;
            }

            var header = new SourceLocation(csv.DisplayPath, 1, 1);
            // Ordered by the plan's word, as the messages have always come.
            foreach (var type in set.UsedByTypes.OrderBy(t => t.Yaml(), StringComparer.Ordinal))
            {
                var required = PlanBinder.CsvColumnsByMigration[type];
                var missing = required.Where(c => !csv.HasColumn(c)).ToList();
                if (missing.Count > 0)
                {
                    diagnostics.Add(Diagnose.CsvWrongHeader(header, type.Yaml(), string.Join(",", required), string.Join(",", missing)));
                }
            }

            if (!PlanBinder.CsvHeaderFits(set, csv))
            {
                if (set.UsedByTypes.Count == 0 && !csv.HasColumn("EmailAddress"))
                {
                    diagnostics.Add(Diagnose.CsvWrongHeader(header, "any", "EmailAddress", "EmailAddress"));
                }

                continue;
            }

            if (set.UsedByMicrosoftImap && csv.Rows.Count > MaxImapCsvRows)
            {
                diagnostics.Add(Diagnose.CsvTooManyRows(new SourceLocation(csv.DisplayPath, csv.Rows[MaxImapCsvRows].Row, 1), csv.Rows.Count));
            }
        }
    }
}

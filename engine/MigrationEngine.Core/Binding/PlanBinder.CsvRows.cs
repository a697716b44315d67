using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Binding;

/// <summary>
/// CSV rows into mailbox entries. A row that cannot become an entry (wrong field count, no or a malformed address, an empty
/// UserName where an IMAP migration needs one, a ForceChangePassword that is not a boolean, a pair already listed) is
/// reported at its row and column and left out, so that no later rule reports it a second time.
/// </summary>
public sealed partial class PlanBinder
{
    /// <summary>The columns each migration type needs in a mailbox CSV (Microsoft's CSV formats for its batches).</summary>
    public static readonly IReadOnlyDictionary<MigrationType, string[]> CsvColumnsByMigration = new Dictionary<MigrationType, string[]>
    {
        [MigrationType.Imap] = ["EmailAddress", "UserName", "Password"],
        [MigrationType.Staged] = ["EmailAddress", "Password", "ForceChangePassword"],
        [MigrationType.Hybrid] = ["EmailAddress"],
        [MigrationType.Cutover] = ["EmailAddress"],
        [MigrationType.Gworkspace] = ["EmailAddress"],
        [MigrationType.Pst] = ["EmailAddress"],
        [MigrationType.Import] = ["EmailAddress"],
    };

    /// <summary>Whether the CSV has every column the set's migrations need, and an EmailAddress: only then are its rows bound.</summary>
    public static bool CsvHeaderFits(BoundMailboxSet set, CsvMailboxFile csv) =>
        csv.HasColumn("EmailAddress") && set.UsedByTypes.All(type => CsvColumnsByMigration[type].All(csv.HasColumn));

    private void BindCsvRows()
    {
        foreach (var set in _plan.Sets.Values)
        {
            if (set.Csv is { } csv && CsvHeaderFits(set, csv))
            {
                BindCsvRows(set, csv);
            }
        }
    }

    private void BindCsvRows(BoundMailboxSet set, CsvMailboxFile csv)
    {
        var needsUserName = set.UsedByTypes.Contains(MigrationType.Imap);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (row, fields) in csv.Rows)
        {
            if (fields.Length != csv.Header.Count)
            {
                _diagnostics.Add(Diagnose.CsvFieldCount(new SourceLocation(csv.DisplayPath, row, 1), fields.Length, csv.Header.Count));
                continue;
            }

            var rowOk = true;
            var email = csv.Field(fields, "EmailAddress") ?? "";
            var emailColumn = csv.ColumnNumber("EmailAddress");
            if (email.Length == 0)
            {
                _diagnostics.Add(Diagnose.CsvEmptyField(new SourceLocation(csv.DisplayPath, row, emailColumn), "EmailAddress"));
                rowOk = false;
            }
            else if (!ValueParsers.IsValidEmail(email))
            {
                _diagnostics.Add(Diagnose.CsvInvalidEmail(new SourceLocation(csv.DisplayPath, row, emailColumn), Quote.Cell(email), "EmailAddress"));
                rowOk = false;
            }

            var sourceAddress = csv.Field(fields, "SourceAddress");
            if (!string.IsNullOrEmpty(sourceAddress) && !ValueParsers.IsValidEmail(sourceAddress))
            {
                _diagnostics.Add(Diagnose.CsvInvalidEmail(new SourceLocation(csv.DisplayPath, row, csv.ColumnNumber("SourceAddress")), Quote.Cell(sourceAddress), "SourceAddress"));
                rowOk = false;
            }

            var username = csv.Field(fields, "UserName");
            if (needsUserName && string.IsNullOrEmpty(username))
            {
                _diagnostics.Add(Diagnose.CsvEmptyField(new SourceLocation(csv.DisplayPath, row, csv.ColumnNumber("UserName")), "UserName"));
                rowOk = false;
            }

            // Recorded for every row of the right shape, bound or not: the secret rules count plain passwords per file.
            SecretReference? password = null;
            var passwordText = csv.Field(fields, "Password");
            if (!string.IsNullOrEmpty(passwordText))
            {
                _plan.Secrets.Add(new BoundSecret(passwordText, new SourceLocation(csv.DisplayPath, row, csv.ColumnNumber("Password")), null, set));
                password = SecretReference.Parse(passwordText);
            }

            bool? forceChange = null;
            var forceText = csv.Field(fields, "ForceChangePassword");
            if (!string.IsNullOrEmpty(forceText))
            {
                if (bool.TryParse(forceText, out var parsed))
                {
                    forceChange = parsed;
                }
                else
                {
                    _diagnostics.Add(Diagnose.CsvBadBoolean(new SourceLocation(csv.DisplayPath, row, csv.ColumnNumber("ForceChangePassword")), Quote.Cell(forceText)));
                    rowOk = false;
                }
            }

            if (!rowOk)
            {
                continue;
            }

            var source = string.IsNullOrEmpty(sourceAddress) ? email : sourceAddress;
            var key = source + "\n" + email;
            if (seen.TryGetValue(key, out var firstRow))
            {
                _diagnostics.Add(Diagnose.DuplicateMailbox(new SourceLocation(csv.DisplayPath, row, emailColumn),
                    email, set.Name, $"{csv.DisplayPath}({firstRow},{emailColumn})"));
                continue;
            }

            seen[key] = row;
            var userRoot = csv.Field(fields, "UserRoot");
            set.Entries.Add(new MailboxEntry
            {
                SourceAddress = source,
                TargetAddress = email,
                Username = string.IsNullOrEmpty(username) ? null : username,
                AdminForm = AdminFormOf(username),
                Password = password,
                UserRoot = string.IsNullOrEmpty(userRoot) ? null : userRoot,
                ForceChangePassword = forceChange,
                Location = new SourceLocation(csv.DisplayPath, row, 1),
            });
        }
    }
}

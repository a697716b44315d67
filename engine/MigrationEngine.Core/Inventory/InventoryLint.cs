using System.Globalization;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Inventory;

/// <summary>What a migration's target enforces, as far as the lint can know it offline.</summary>
internal enum TargetRules
{
    /// <summary>No documented limit (Maildir, a generic IMAP server).</summary>
    None,
    /// <summary>Exchange Server through IMAP (preset exchange): its folder names; its size limits are the admin's.</summary>
    ExchangeFolders,
    /// <summary>Exchange Online written by the engine (Graph, or IMAP with preset office365).</summary>
    ExchangeOnline,
    /// <summary>Exchange Online's own IMAP migration (type imap, engine exchange): at most 35 MB a message and 500,000 items.</summary>
    ExchangeImapMigration,
}

/// <summary>
/// Preflight lint: turns what inventory found into coded findings, each naming the mailbox, the folder and the plan line to
/// change. Limits, where Microsoft documents them:
/// <list type="bullet">
/// <item>IMAP migration: "a maximum of 500,000 items from a user's mailbox (emails are migrated from newest to oldest)" and
/// "the biggest email you can migrate is 35 MB"
/// (https://learn.microsoft.com/exchange/mailbox-migration/migrating-imap-mailboxes/migrating-imap-mailboxes).</item>
/// <item>Message size: 35 MB by default, an admin may raise it to 150 MB; items per folder 1 million; folder depth 300
/// (https://learn.microsoft.com/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits).</item>
/// <item>Graph: 4 MB per request (https://learn.microsoft.com/graph/api/mailfolder-importmime), see <see cref="SizeClasses.GraphRequest"/>.</item>
/// <item>Gmail: 2,500 MB per user per day downloaded over IMAP (https://support.google.com/a/answer/1071518).</item>
/// </list>
/// </summary>
public static partial class InventoryLint
{
    /// <summary>Microsoft's IMAP migration moves at most this many items from one mailbox.</summary>
    public const long ImapMigrationItemLimit = 500_000;

    /// <summary>Gmail's IMAP download limit per user and day (2,500 MB).</summary>
    public const long GmailDailyDownloadBytes = 2500L * 1024 * 1024;

    public static IReadOnlyList<Diagnostic> Check(PlanModel plan, IReadOnlyList<MailboxInventory> mailboxes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(mailboxes);
        var positions = new MigrationPositions(plan);
        var migrations = plan.Migrations.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var findings = new List<Diagnostic>();
        var notRead = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mailbox in mailboxes)
        {
            if (!migrations.TryGetValue(mailbox.Migration, out var migration))
            {
                continue;
            }

            switch (mailbox.Outcome)
            {
                case InventoryOutcome.Failed when mailbox.Failure is not null:
                    findings.Add(mailbox.Failure);
                    continue;
                case InventoryOutcome.NotRead:
                    if (notRead.Add(migration.Name) && plan.Sources.GetValueOrDefault(migration.From) is { } source)
                    {
                        findings.Add(Diagnose.InventorySourceNotRead(migration.Location, migration.Name, source.Name, source.Type.Yaml()));
                    }

                    continue;
            }

            var rules = RulesOf(plan, migration);
            CheckSizes(plan, migration, mailbox, rules, positions, findings);
            CheckCounts(migration, mailbox, rules, positions, findings);
            if (rules != TargetRules.None)
            {
                CheckFolderNames(migration, mailbox, positions, findings);
            }

            if (mailbox.GmailShaped)
            {
                CheckGmail(migration, mailbox, positions, findings);
            }
        }

        return findings;
    }

    internal static TargetRules RulesOf(PlanModel plan, MigrationDefinition migration)
    {
        if (migration.Type == MigrationType.Imap && migration.Engine == CopyEngine.Exchange)
        {
            return TargetRules.ExchangeImapMigration;
        }

        var target = plan.Targets.GetValueOrDefault(migration.To);
        return target switch
        {
            { Type: EndpointType.Graph } => TargetRules.ExchangeOnline,
            { Type: EndpointType.Imap, Preset: ImapPresetName.Office365 } => TargetRules.ExchangeOnline,
            { Type: EndpointType.Imap, Preset: ImapPresetName.Exchange } => TargetRules.ExchangeFolders,
            _ => TargetRules.None,
        };
    }

    private static void CheckSizes(PlanModel plan, MigrationDefinition migration, MailboxInventory mailbox, TargetRules rules, MigrationPositions positions, List<Diagnostic> findings)
    {
        var at = positions.Of(migration, "filters.maxMessageSize");
        var filter = migration.Filters.MaxMessageSize;
        var target = migration.To;
        var folders = mailbox.Unique.ToList();
        var leftOut = folders.Sum(f => f.AboveFilter);
        if (filter is { } max && leftOut > 0)
        {
            findings.Add(Diagnose.InventoryAboveFilterSize(at,
                mailbox.Source, leftOut, Executor.FormatSize(max),
                    hint: "the summary counts them as left out by rule; raise filters.maxMessageSize to copy them"));
        }

        if (rules is TargetRules.None or TargetRules.ExchangeFolders)
        {
            return;
        }

        // The highest size the target can take at all, and the size it takes unless an admin raises it.
        var hardest = rules == TargetRules.ExchangeImapMigration ? SizeClasses.ExchangeDefault : SizeClasses.ExchangeMaximum;
        foreach (var folder in folders)
        {
            // A filter at or below a limit leaves out everything above it by a rule the plan names: not a finding.
            var overHard = filter is { } f && f <= hardest ? 0 : folder.CountAbove(hardest);
            if (overHard > 0)
            {
                findings.Add(Diagnose.InventoryAboveMaximumSize(at,
                    mailbox.Source, folder.Path, overHard, Executor.FormatSize(hardest), target, Largest(folder),
                        hint: $"leave them out with filters.maxMessageSize: {hardest / (1024 * 1024)}MB (they are then counted as left out by rule), or move them another way"));
            }

            if (rules == TargetRules.ExchangeOnline)
            {
                var overDefault = folder.CountAbove(SizeClasses.ExchangeDefault) - folder.CountAbove(SizeClasses.ExchangeMaximum);
                if (filter is { } limit && limit <= SizeClasses.ExchangeDefault)
                {
                    overDefault = 0;
                }

                if (overDefault > 0)
                {
                    findings.Add(Diagnose.InventoryAboveDefaultSize(at,
                        mailbox.Source, folder.Path, overDefault, Executor.FormatSize(SizeClasses.ExchangeDefault), Largest(folder), target,
                            hint: "raise MaxReceiveSize of the target mailboxes (Set-Mailbox, at most 150 MB), or leave them out with filters.maxMessageSize: 35MB"));
                }
            }
        }

        var targetEndpoint = plan.Targets.GetValueOrDefault(migration.To);
        if (rules == TargetRules.ExchangeOnline && targetEndpoint is { Type: EndpointType.Graph } && targetEndpoint.ImportMode != ImportMode.Json)
        {
            var aboveRequest = folders.Sum(f => f.CountAbove(SizeClasses.GraphRequest) - f.CountAbove(filter is { } m && m <= SizeClasses.ExchangeDefault ? SizeClasses.ExchangeDefault : SizeClasses.ExchangeMaximum));
            if (aboveRequest > 0)
            {
                findings.Add(Diagnose.InventoryAboveGraphRequest(positions.Of(migration, "to"),
                    mailbox.Source, aboveRequest, "over " + Executor.FormatSize(SizeClasses.GraphRequest) + " each", target,
                        hint: "nothing to change to copy them; to keep their MIME exact, copy these mailboxes through an IMAP target (preset office365)"));
            }
        }
    }

    private static void CheckCounts(MigrationDefinition migration, MailboxInventory mailbox, TargetRules rules, MigrationPositions positions, List<Diagnostic> findings)
    {
        if (rules == TargetRules.ExchangeImapMigration && mailbox.Messages > ImapMigrationItemLimit)
        {
            findings.Add(Diagnose.InventoryImapItemLimit(positions.Of(migration, "engine"),
                mailbox.Source, mailbox.Messages, ImapMigrationItemLimit, mailbox.Messages - ImapMigrationItemLimit,
                    hint: "copy this mailbox with the engine (engine: engine), or split it: a migration with filters.before for the old mail"));
        }

        if (rules is TargetRules.ExchangeOnline or TargetRules.ExchangeImapMigration)
        {
            foreach (var folder in mailbox.Folders.Where(f => f.ExcludedBy is null && f.Messages > ExchangeFolderRules.MaxItemsPerFolder))
            {
                findings.Add(Diagnose.InventoryFolderItemLimit(positions.Of(migration, "folders.map"),
                    mailbox.Source, folder.Path, folder.Messages, ExchangeFolderRules.MaxItemsPerFolder,
                        hint: "split the folder in the source, or leave part of it out with filters.since / filters.before"));
            }
        }
    }

    private static string Largest(FolderInventory folder) =>
        folder.Largest.Count == 0 ? "unknown" : string.Create(CultureInfo.InvariantCulture, $"{Executor.FormatSize(folder.Largest[0].Size)}, id {folder.Largest[0].SourceId}");
}

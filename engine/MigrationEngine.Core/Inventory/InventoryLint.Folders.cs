using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Inventory;

/// <summary>Folder names in an Exchange target, and Gmail's labels and quota.</summary>
public static partial class InventoryLint
{
    private static void CheckFolderNames(MigrationDefinition migration, MailboxInventory mailbox, MigrationPositions positions, List<Diagnostic> findings)
    {
        // Gmail's labels are not folders with labelCopies: categories; special folders map onto the target's own.
        if (mailbox.GmailShaped && migration.LabelCopies == LabelCopyMode.Categories)
        {
            return;
        }

        var at = positions.Of(migration, "folders.map");
        const string mapHint = "give the folder another name in the target with folders.map, or leave it out with folders.exclude";
        var matcher = new FolderRulesMatcher(migration.Folders);
        var named = mailbox.Folders
            .Where(f => f.ExcludedBy is null && f.SpecialUse == SpecialUse.None && !IsGmailSystem(mailbox, f))
            .Select(f => (Source: f.Path, Target: matcher.MapPath(f.Path)))
            .ToList();
        foreach (var (source, target) in named)
        {
            var levels = target.Split('/');
            if (ExchangeFolderRules.Reserved.TryGetValue(levels[0], out var purpose))
            {
                findings.Add(Diagnose.InventoryReservedFolderName(at, mailbox.Source, source, target, purpose, hint: mapHint));
            }

            if (levels.Select(l => l.Replace('\u2215', '/')).Select(ExchangeFolderRules.RefusedBecause).FirstOrDefault(r => r is not null) is { } refused)
            {
                findings.Add(Diagnose.InventoryFolderNameRefused(at, mailbox.Source, source, refused, hint: mapHint));
            }

            if (levels.Length > ExchangeFolderRules.MaxDepth)
            {
                findings.Add(Diagnose.InventoryFolderTooDeep(at, mailbox.Source, source, levels.Length, ExchangeFolderRules.MaxDepth,
                    hint: "map the folder to a shallower path with folders.map"));
            }
        }

        // Children per parent as the target names them (top-level folders are children of the mailbox's root).
        foreach (var parent in named.Select(n => n.Target).Distinct(StringComparer.OrdinalIgnoreCase)
                     .GroupBy(t => t.LastIndexOf('/') is var slash and >= 0 ? t[..slash] : "", StringComparer.OrdinalIgnoreCase)
                     .Where(g => g.Count() > ExchangeFolderRules.MaxSubfolders))
        {
            findings.Add(Diagnose.InventoryTooManySubfolders(at,
                mailbox.Source, parent.Key.Length == 0 ? "(top level)" : parent.Key, parent.Count(), ExchangeFolderRules.MaxSubfolders,
                    hint: "merge folders with folders.map, or leave some out with folders.exclude"));
        }

        // Exchange compares folder names case-insensitively: two source folders that differ only in case become one folder.
        foreach (var group in named.GroupBy(n => n.Target, StringComparer.OrdinalIgnoreCase))
        {
            var distinct = group.DistinctBy(n => n.Target, StringComparer.Ordinal).OrderBy(n => n.Source, StringComparer.Ordinal).ToList();
            for (var i = 1; i < distinct.Count; i++)
            {
                findings.Add(Diagnose.InventoryFolderCaseCollision(at,
                    mailbox.Source, distinct[0].Source, distinct[i].Source,
                        hint: "map one of them to another name with folders.map (both are copied, into one folder, if nothing changes)"));
            }
        }
    }

    private static bool IsGmailSystem(MailboxInventory mailbox, FolderInventory folder) =>
        mailbox.GmailShaped && folder.Path.StartsWith("[Gmail]/", StringComparison.OrdinalIgnoreCase);

    private static void CheckGmail(MigrationDefinition migration, MailboxInventory mailbox, MigrationPositions positions, List<Diagnostic> findings)
    {
        var allMail = mailbox.Folders.FirstOrDefault(f => f.SpecialUse == SpecialUse.All);
        var labels = mailbox.Folders.Where(f => f.ExcludedBy is null && (f.SpecialUse is SpecialUse.None or SpecialUse.Inbox or SpecialUse.Sent or SpecialUse.Drafts) && !IsGmailSystem(mailbox, f)).ToList();
        var entries = labels.Sum(f => f.Messages);
        var placement = migration.LabelCopies switch
        {
            LabelCopyMode.Each => $"makes one copy per label: up to {entries:N0} copies; Starred and Important become flags, archived mail goes to the archive folder",
            LabelCopyMode.Once => "makes one copy per message, in the label that comes first by gmail.labelPriority; Starred and Important become flags",
            _ => "makes one copy per message in Inbox, Sent, Drafts or the archive folder; user labels become categories",
        };
        findings.Add(Diagnose.InventoryGmailLabels(positions.Of(migration, "labelCopies"),
            mailbox.Source, allMail?.Messages ?? 0, entries, labels.Count, migration.LabelCopies.Yaml(), placement,
                hint: "choose labelCopies: each, once or categories (docs/plan-format.md, Gmail)"));

        var days = GmailQuotaDays(mailbox.Bytes);
        if (days > 1)
        {
            findings.Add(Diagnose.InventoryGmailQuota(positions.Of(migration, "filters"),
                mailbox.Source, Executor.FormatSize(mailbox.Bytes), days, "2,500 MB",
                    hint: "start this mailbox early (apply can run daily and converges), or copy the recent mail first with filters.since"));
        }
    }

    /// <summary>Whole days Gmail's daily IMAP download limit needs for <paramref name="bytes"/> (9 GB: 4 days).</summary>
    public static int GmailQuotaDays(long bytes) => (int)Math.Ceiling(bytes / (double)GmailDailyDownloadBytes);
}

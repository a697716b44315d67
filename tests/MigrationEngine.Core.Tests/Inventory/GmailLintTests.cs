using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Inventory;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Tests.Inventory;

/// <summary>A Gmail mailbox is counted once per message, its labels explained, its daily download quota reported.</summary>
[Trait("Category", "Unit")]
public sealed class GmailLintTests
{
    private const long MiB = 1024L * 1024;
    private static readonly SourceLocation At = new("/plans/gmail.yaml", 1, 1);

    [Fact]
    public void Gmail_is_counted_per_message_and_a_9_GB_mailbox_is_four_quota_days()
    {
        var mailbox = new MailboxInventory
        {
            Migration = "gmail",
            Source = "ann@gmail.test",
            Target = "ann@contoso.test",
            GmailShaped = true,
            Folders =
            [
                Folder("INBOX", SpecialUse.Inbox, 1_000, 1024 * MiB),
                Folder("Work", SpecialUse.None, 3_000, 3072 * MiB),
                Folder("work", SpecialUse.None, 10, 10 * MiB),
                Folder("[Gmail]/All Mail", SpecialUse.All, 20_000, 9 * 1024 * MiB),
                Folder("[Gmail]/Starred", SpecialUse.Flagged, 50, 50 * MiB),
                Folder("[Gmail]/Trash", SpecialUse.Trash, 10, MiB),
            ],
        };

        Assert.Equal(20_010, mailbox.Messages);
        Assert.Equal((9 * 1024 * MiB) + MiB, mailbox.Bytes);

        var findings = InventoryLint.Check(Plan(LabelCopyMode.Each), [mailbox]);
        var labels = Assert.Single(findings, d => d.Code == "MIG1430");
        Assert.Equal(DiagnosticSeverity.Info, labels.Severity);
        Assert.Contains("20,000 messages in All Mail, 4,010 label entries in 3 label folder(s); labelCopies: each makes one copy per label", labels.Message, StringComparison.Ordinal);
        var quota = Assert.Single(findings, d => d.Code == "MIG1431");
        Assert.Contains("takes at least 4 day(s) at Gmail's IMAP download limit of 2,500 MB per user per day", quota.Message, StringComparison.Ordinal);
        // Labels that differ only in case are folders with labelCopies: each; Gmail's own folders are not linted as names.
        Assert.Single(findings, d => d.Code == "MIG1422");
        Assert.DoesNotContain(findings, d => d.Message.Contains("[Gmail]", StringComparison.Ordinal));

        // With labelCopies: categories, labels are not folders: no folder-name findings at all.
        Assert.DoesNotContain(InventoryLint.Check(Plan(LabelCopyMode.Categories), [mailbox]), d => d.Code == "MIG1422");
    }

    private static FolderInventory Folder(string path, SpecialUse use, long messages, long bytes) =>
        new() { Path = path, SpecialUse = use, Messages = messages, Bytes = bytes, SizeBuckets = [messages, 0, 0, 0, 0] };

    private static PlanModel Plan(LabelCopyMode mode) => new()
    {
        Name = "gmail",
        PlanFile = "/plans/does-not-exist/gmail.yaml",
        ContentHash = "0",
        Sources = new Dictionary<string, EndpointDefinition> { ["google"] = new() { Name = "google", Role = EndpointRole.Source, Type = EndpointType.Imap, Preset = ImapPresetName.Gmail, Location = At, CanonicalSettings = "{}" } },
        Targets = new Dictionary<string, EndpointDefinition> { ["cloud"] = new() { Name = "cloud", Role = EndpointRole.Target, Type = EndpointType.Graph, Location = At, CanonicalSettings = "{}" } },
        Migrations = [new MigrationDefinition { Name = "gmail", Type = MigrationType.Imap, From = "google", To = "cloud", LabelCopies = mode, Location = At, CanonicalSettings = "{}" }],
    };
}

using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Inventory;

namespace MigrationEngine.Core.Tests.Inventory;

/// <summary>The pull-request comment stays under GitHub's 65,536-character limit at 5,000 mailboxes full of findings.</summary>
[Trait("Category", "Unit")]
public sealed class InventoryMarkdownTests
{
    [Fact]
    public void Markdown_for_5000_mailboxes_with_findings_stays_under_the_comment_limit_and_keeps_the_totals_first()
    {
        var mailboxes = Enumerable.Range(0, 5000).Select(i => new MailboxInventory
        {
            Migration = "wave-" + (i % 5),
            Source = $"user{i:D5}@old.example.test",
            Target = $"user{i:D5}@example.test",
            Folders =
            [
                new FolderInventory { Path = "INBOX", SpecialUse = SpecialUse.Inbox, Messages = 1000, Bytes = 500L * 1024 * 1024, SizeBuckets = [990, 8, 1, 1, 0] },
                new FolderInventory { Path = "Projects | 2024", Messages = 10, Bytes = 1024 * 1024, SizeBuckets = [10, 0, 0, 0, 0] },
            ],
        }).ToList();
        var findings = mailboxes.SelectMany(m => new[]
        {
            Diagnose.InventoryAboveDefaultSize(new SourceLocation("/plans/big.yaml", 12, 7), m.Source, "INBOX", 1, "35 MB", "40 MB", "cloud",
                hint: "hint"),
            Diagnose.InventoryFolderCaseCollision(new SourceLocation("/plans/big.yaml", 14, 7), m.Source, "Projects", "projects", hint: "hint"),
            Diagnose.InventoryGmailLabels(new SourceLocation("/plans/big.yaml", 15, 7), m.Source, 1, 2, 3, "each", "...", hint: "hint"),
        }).ToList();
        var report = new InventoryReport("big", mailboxes, findings, TimeSpan.FromMinutes(3));

        var markdown = InventoryRenderer.Markdown(report, "/plans/big.yaml");

        Assert.True(markdown.Length < 65_536, $"{markdown.Length} characters");
        var lines = markdown.Split('\n');
        Assert.StartsWith("### Inventory of `big.yaml`", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("5,000 mailbox(es): 5,050,000 messages", lines[2], StringComparison.Ordinal);
        // Every code is counted; info findings are counted, not listed; the rest says how many were left out.
        Assert.Contains("| MIG1410 | warning | Messages larger than the target's default limit | 5,000 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| MIG1430 | info |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| MIG1430 | big.yaml", markdown, StringComparison.Ordinal);
        Assert.Matches(@"…and [\d,]+ more; `migrate inventory --output json` lists every finding\.", markdown);
    }

    [Fact]
    public void Folder_names_cannot_break_the_table()
    {
        var mailbox = new MailboxInventory { Migration = "m", Source = "a|b@x.test", Target = "a@x.test" };
        var finding = Diagnose.InventoryReservedFolderName(new SourceLocation("/p.yaml", 3, 1), "a@x.test", "Cal|endar\nx", "Calendar", "calendar");
        var markdown = InventoryRenderer.Markdown(new InventoryReport("p", [mailbox], [finding], TimeSpan.Zero), "/p.yaml");

        Assert.Contains("Cal\\|endar x", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("endar\nx", markdown, StringComparison.Ordinal);
    }
}

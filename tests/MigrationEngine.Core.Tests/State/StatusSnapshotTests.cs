using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Tests.State;

[Trait("Category", "Unit")]
public sealed class StatusSnapshotTests
{
    private static StatusView View(int mailboxes, Func<int, string>? status = null)
    {
        var rows = Enumerable.Range(0, mailboxes).Select(i => new StatusRow(i % 2 == 0 ? "wave-1" : "wave-2", $"user{i}@contoso.com", status?.Invoke(i) ?? "done", 5, 5, i, i * 1000L, 1, 2, 3,
            i % 7 == 0 ? $"error {i}" : null) { PlacedElsewhere = i % 3 }).OrderBy(r => r.Migration, StringComparer.Ordinal).ToList();
        return new StatusView("plan", rows, new MessageAccount(1, 2, 3, 4, 5, 6, 7), new MailboxTally(mailboxes, 8, 9, 10, 11), "In total: line.");
    }

    private static readonly SnapshotHeader Header = new("1.0.0+abc", "plan", "hash", ["/p/users.csv", "/p/more.csv"], 42);

    [Fact]
    public void A_snapshot_reads_back_as_written()
    {
        var view = View(50);
        var (header, read) = SnapshotFormat.Read(SnapshotFormat.Write(Header, view))!.Value;

        Assert.Equal(Header with { InputFiles = [] }, header with { InputFiles = [] });
        Assert.Equal(Header.InputFiles, header.InputFiles);
        Assert.Equal(view.Rows, read.Rows);
        Assert.Equal(view with { Rows = [] }, read with { Rows = [] });
    }

    [Fact]
    public void Damaged_bytes_are_no_snapshot_and_never_throw()
    {
        var bytes = SnapshotFormat.Write(Header, View(12));
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Null(SnapshotFormat.Read(bytes[..length]));
        }

        var random = new Random(5);
        for (var i = 0; i < 500; i++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[random.Next(4, damaged.Length)] ^= (byte)random.Next(1, 256);
            // A flipped byte may still parse (a count or a letter changed): what matters is that it never throws or allocates wildly.
            _ = SnapshotFormat.Read(damaged);
        }

        Assert.Null(SnapshotFormat.Read([.. bytes, 0]));
        Assert.Null(SnapshotFormat.Read([0, 0, 0, 0, .. bytes[4..]]));
    }

    [Fact]
    public void Text_lists_every_mailbox_of_a_small_plan()
    {
        var text = StatusRenderer.Text(View(StatusRenderer.ListLimit), "state.db", null, _ => null, full: false, "plan.yaml");

        Assert.Equal(StatusRenderer.ListLimit, text.Split('\n').Count(l => l.Contains("@contoso.com", StringComparison.Ordinal)));
        Assert.Contains("Migration wave-1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_of_a_large_plan_counts_and_lists_the_mailboxes_that_need_attention_first()
    {
        var view = View(50_000, i => i switch { 7 => "failed", 9 => "in progress", < 200 and > 100 => "pending", _ => "done" });
        var text = StatusRenderer.Text(view, "state.db", null, r => r.Mailbox == "user3@contoso.com" ? "vm pid 1 (alive)" : null, full: false, "plan.yaml");

        Assert.Contains("Migration wave-1: 25,000 mailboxes: 49 pending, 24,951 done\n", text, StringComparison.Ordinal);
        Assert.Contains("Migration wave-2: 25,000 mailboxes: 1 failed, 1 in progress, 50 pending, 24,948 done\n", text, StringComparison.Ordinal);
        // The failed mailbox comes first, then in progress, then one held by a live apply though done, then pending ones.
        var wave2 = text[text.IndexOf("Migration wave-2", StringComparison.Ordinal)..];
        var listed = wave2.Split('\n').Where(l => l.StartsWith("  user", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[0]).ToList();
        Assert.Equal(["user7@contoso.com", "user9@contoso.com", "user3@contoso.com", "user101@contoso.com"], listed.Take(4));
        Assert.Equal(StatusRenderer.ShownPerMigration, listed.Count);
        Assert.Contains("    held by vm pid 1 (alive)\n", wave2, StringComparison.Ordinal);
        Assert.Contains("... and 28 more: 'migrate status plan.yaml --full' lists every mailbox", wave2, StringComparison.Ordinal);
        Assert.EndsWith("\nIn total: line.\n", text, StringComparison.Ordinal);
        Assert.True(text.Length < 10_000, $"{text.Length} characters");

        var full = StatusRenderer.Text(view, "state.db", null, _ => null, full: true, "plan.yaml");
        Assert.Equal(50_000, full.Split('\n').Count(l => l.StartsWith("  user", StringComparison.Ordinal)));
    }
}

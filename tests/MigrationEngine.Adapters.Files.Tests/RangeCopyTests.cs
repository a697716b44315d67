using System.Globalization;
using System.Text;
using MigrationEngine.Adapters.Files.Eml;
using MigrationEngine.Adapters.Files.Maildir;
using MigrationEngine.Adapters.Files.Mbox;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>
/// A large folder of a file source copied in ranges on several readers (FolderCopy.Ranges.cs) by the real executor, with
/// <c>connectionsPerMailbox: 4</c>, into a Maildir target: every message once and byte for byte, each range in source
/// order, the ledger complete, more than one instance reading, and a second apply copying nothing.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RangeCopyTests
{
    private const int Large = 400;
    private const int Batch = 20;
    private const string Address = "alice@example.com";

    [Theory]
    [InlineData("maildir")]
    [InlineData("eml")]
    [InlineData("mbox")]
    public async Task A_large_folder_is_read_by_several_instances_each_range_in_order_and_a_rerun_copies_nothing(string type)
    {
        using var temp = new TempDirectory();
        var inbox = Enumerable.Range(0, Large).Select(i => Message("inbox", i)).ToList();
        var small = Enumerable.Range(0, 3).Select(i => Message("small", i)).ToList();
        var sourceRoot = temp.Combine("source");
        WriteSource(type, Path.Combine(sourceRoot, Address), inbox, small);

        var planFile = temp.Combine("plan.yaml");
        await File.WriteAllTextAsync(planFile, Plan(type, sourceRoot, temp.Combine("target")));
        var first = await ApplyAsync(planFile, temp.Combine("state.db"));

        Assert.Equal(Large + small.Count, first.Summary.Copied);
        var targetInbox = TargetFiles(temp.Combine("target", Address, "cur"));
        var targetSmall = TargetFiles(temp.Combine("target", Address, ".Small", "cur"));
        // Every message once, byte for byte.
        Assert.Equal(inbox.Select(TestSupport.Sha256).Order(), targetInbox.Select(f => TestSupport.Sha256(f.Bytes)).Order());
        Assert.Equal(small.Select(TestSupport.Sha256).Order(), targetSmall.Select(f => TestSupport.Sha256(f.Bytes)).Order());

        // Each range went in in source order: walking the source in order, the target's append order goes back only where
        // one range ends and the next begins, at most three times for four ranges.
        var appended = targetInbox.Select((file, position) => (Sha: TestSupport.Sha256(file.Bytes), position)).ToDictionary(p => p.Sha, p => p.position);
        var order = inbox.Select(m => appended[TestSupport.Sha256(m)]).ToList();
        Assert.InRange(order.Zip(order.Skip(1)).Count(p => p.Second < p.First), 0, 3);

        // More than one instance read the large folder, each in the listing's order, and no message was read twice.
        var listed = await ListIdsAsync(type, Path.Combine(sourceRoot, Address));
        var position = listed.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var readers = first.Factory.Opened.Select(s => s.Fetched.Where(f => f.Folder == "INBOX").Select(f => position[f.SourceId]).ToList())
            .Where(read => read.Count > 0).ToList();
        Assert.True(readers.Count >= 2, $"{readers.Count} reader(s) of INBOX among {first.Factory.Opened.Count} instances");
        Assert.All(readers, read => Assert.True(read.Zip(read.Skip(1)).All(p => p.Second > p.First), "a reader went back in the listing"));
        Assert.Equal(Enumerable.Range(0, Large), readers.SelectMany(read => read).Order());

        // The ledger names every listed message once.
        var ledger = first.Ledger.Where(e => e.Folder == "INBOX").Select(e => e.SourceId).ToList();
        Assert.Equal(listed.Order(StringComparer.Ordinal), ledger.Order(StringComparer.Ordinal));
        Assert.Equal(small.Count, first.Ledger.Count(e => e.Folder == "Small"));

        var second = await ApplyAsync(planFile, temp.Combine("state.db"));
        Assert.Equal(0, second.Summary.Copied);
        Assert.All(second.Factory.Opened, s => Assert.Empty(s.Fetched));
        Assert.Equal(Large, Directory.GetFiles(temp.Combine("target", Address, "cur")).Length);
    }

    /// <summary>A message of its own size and Message-ID; some body lines start with "From " (quoted in an mbox).</summary>
    private static byte[] Message(string folder, int i)
    {
        var body = new StringBuilder();
        for (var line = 0; line < 3 + i % 11 * 7; line++)
        {
            body.Append(line % 9 == 4 ? "From the archive, line " : "line ").Append(line).Append(" of ").Append(folder).Append(' ').Append(i).Append('\n');
        }

        return Encoding.UTF8.GetBytes($"From: sender{i}@example.net\nTo: {Address}\nSubject: {folder} {i}\nMessage-ID: <{folder}.{i}@ranges.test>\n"
            + $"Date: Mon, 2 Dec 2024 10:{i % 60:00}:00 +0000\n\n{body}");
    }

    private static void WriteSource(string type, string mailbox, IReadOnlyList<byte[]> inbox, IReadOnlyList<byte[]> small)
    {
        switch (type)
        {
            case "maildir":
                WriteMaildir(Path.Combine(mailbox, "cur"), inbox);
                WriteMaildir(Path.Combine(mailbox, ".Small", "cur"), small);
                break;
            case "eml":
                WriteEml(mailbox, inbox);
                WriteEml(Path.Combine(mailbox, "Small"), small);
                break;
            default:
                MboxSourceTests.WriteMbox(Path.Combine(mailbox, "INBOX.mbox"), inbox);
                MboxSourceTests.WriteMbox(Path.Combine(mailbox, "Small.mbox"), small);
                break;
        }
    }

    private static void WriteMaildir(string cur, IReadOnlyList<byte[]> messages)
    {
        Directory.CreateDirectory(cur);
        for (var i = 0; i < messages.Count; i++)
        {
            File.WriteAllBytes(Path.Combine(cur, $"1733130000.M{i:000000}P1Q{i}.source:2,{(i % 3 == 0 ? "S" : "")}"), messages[i]);
        }
    }

    private static void WriteEml(string directory, IReadOnlyList<byte[]> messages)
    {
        Directory.CreateDirectory(directory);
        for (var i = 0; i < messages.Count; i++)
        {
            File.WriteAllBytes(Path.Combine(directory, $"message-{i}.eml"), messages[i]);
        }
    }

    private static async Task<List<string>> ListIdsAsync(string type, string mailbox)
    {
        await using IMailSource source = type switch
        {
            "maildir" => new MaildirSource(mailbox),
            "eml" => new EmlSource(mailbox),
            _ => new MboxFolderSource(mailbox),
        };
        var folder = (await source.ListFoldersAsync(CancellationToken.None)).Single(f => f.Path == "INBOX");
        return (await TestSupport.ListAsync(source, folder)).Select(m => m.SourceId).ToList();
    }

    /// <summary>A Maildir folder's files in the order the target wrote them (the Q counter of its unique names).</summary>
    private static List<(string Name, byte[] Bytes)> TargetFiles(string cur) =>
        Directory.GetFiles(cur)
            .OrderBy(file => long.Parse(Path.GetFileName(file).Split('Q')[1].Split('.')[0], CultureInfo.InvariantCulture))
            .Select(file => (Path.GetFileName(file), File.ReadAllBytes(file)))
            .ToList();

    private static string Plan(string type, string source, string target) =>
        TestSupport.OneMailboxImportPlan("files-ranges", type, source, target, Address, pairs: 4);

    // File sources and a SQLite state never wait, so each pair's work holds a pool thread while it copies: with the pool's
    // minimum (the cores) a helper pair may start only after the first pair copied the whole folder. The CLI's pool adds
    // threads over seconds of copying; this test's copy lasts less, so it starts with enough.
    static RangeCopyTests()
    {
        ThreadPool.GetMinThreads(out var workers, out var completion);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), completion);
    }

    private static async Task<(RunSummary Summary, CountingSourceFactory Factory, IReadOnlyList<Core.State.LedgerEntry> Ledger)> ApplyAsync(string planFile, string stateFile)
    {
        var factory = new CountingSourceFactory(new FileSourceFactory());
        var (summary, ledger) = await TestSupport.ApplyPlanAsync(planFile, stateFile, factory, new MaildirTargetFactory(), Batch,
            (store, plan) => store.GetLedgerEntriesAsync(plan.Name, "m", PlanCompiler.MailboxKey(Address), CancellationToken.None));
        Assert.True(summary.Succeeded, string.Join("\n", summary.Mailboxes.SelectMany(m => m.Diagnostics).Concat(summary.Diagnostics)));
        return (summary, factory, ledger);
    }
}

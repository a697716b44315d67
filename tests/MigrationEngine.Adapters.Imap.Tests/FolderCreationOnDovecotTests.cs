using MigrationEngine.TestSupport;
using Seed = MigrationEngine.Adapters.Imap.Tests.RawImapClient.Seed;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// The target's folders are created on the first pair while three more pairs copy the folders that exist
/// (TargetFolderEnsurer), against Dovecot, whose mailbox list index is what kept creation on one connection: a mailbox of
/// many folders, nested ones among them, arrives whole, every message once, the hierarchy as in the source.
/// </summary>
[Collection(DovecotCollection.Name)]
[Trait("Category", "Server")]
public sealed class FolderCreationOnDovecotTests(DovecotFixture dovecot)
{
    private static readonly string[] Folders =
    [
        "Sent", "Drafts", "Old Stuff", "Receipts & Invoices", "Projects", "Projects/A", "Projects/B", "Projects/Überprüfung",
        "Archive/2022", "Archive/2023", "Archive/2024", "Lists/dovecot", "Lists/mailkit", "Lists/dotnet/runtime", "Travel",
        "Family", "Family/Photos", "Receipts & Invoices/2024", "Work/Clients/Contoso", "Work/Clients/Fabrikam",
    ];

    [Fact]
    public async Task Twenty_folders_created_beside_the_copy_on_four_pairs_arrive_whole()
    {
        var from = dovecot.NewUser("foldersrc");
        var to = dovecot.NewUser("folderdst");
        var expected = new Dictionary<string, int>(StringComparer.Ordinal) { ["INBOX"] = 250 };
        using (var raw = new RawImapClient(dovecot.PlainPort, from.Address, from.Password))
        {
            raw.Append("INBOX", Enumerable.Range(0, 250).Select(i => new Seed(Corpus.Message($"inbox {i}", $"in{i}@x", new string('i', 800 + i % 9 * 300) + "\r\n"))).ToList());
            for (var f = 0; f < Folders.Length; f++)
            {
                raw.Create(Folders[f]);
                var count = 2 + f % 5 * 4;
                raw.Append(Folders[f], Enumerable.Range(0, count).Select(i => new Seed(Corpus.Message($"{Folders[f]} {i}", $"f{f}.{i}@x"))).ToList());
                expected[Folders[f]] = count;
            }
        }

        using var state = new TempDirectory("folder-state");
        var outcome = await EngineCopy.RunAsync(dovecot, from, to, state.Path, migrationExtra: "concurrency:\n  mailboxes: 1\n  connectionsPerMailbox: 4");

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Mailboxes.SelectMany(m => m.Diagnostics).Concat(outcome.Diagnostics)));
        Assert.Equal(expected.Values.Sum(), outcome.Copied);
        using var source = new RawImapClient(dovecot.PlainPort, from.Address, from.Password);
        using var target = new RawImapClient(dovecot.PlainPort, to.Address, to.Password);
        Assert.Superset(source.List().Keys.ToHashSet(StringComparer.Ordinal), target.List().Keys.ToHashSet(StringComparer.Ordinal));
        foreach (var (folder, count) in expected)
        {
            var sourceShas = source.FetchAll(folder).Select(m => Corpus.Sha(m.Body)).Order().ToList();
            var targetShas = target.FetchAll(folder).Select(m => Corpus.Sha(m.Body)).Order().ToList();
            Assert.Equal(count, sourceShas.Count);
            Assert.True(sourceShas.SequenceEqual(targetShas), $"{folder}: {targetShas.Count} of {count} messages in the target, or different ones");
        }
    }
}

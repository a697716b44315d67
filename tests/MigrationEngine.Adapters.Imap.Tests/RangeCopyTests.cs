using MigrationEngine.TestSupport;
using Seed = MigrationEngine.Adapters.Imap.Tests.RawImapClient.Seed;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>A large folder copied in ranges of UIDs on several connection pairs at once (FolderCopy.Ranges.cs).</summary>
[Collection(DovecotCollection.Name)]
[Trait("Category", "Server")]
public sealed class RangeCopyTests(DovecotFixture dovecot)
{
    private const string FourPairs = "concurrency:\n  mailboxes: 1\n  connectionsPerMailbox: 4";

    [Fact]
    public async Task A_large_folder_is_copied_in_ranges_on_several_connections_each_range_in_source_order()
    {
        var from = dovecot.NewUser("rangesrc");
        var to = dovecot.NewUser("rangedst");
        using (var raw = new RawImapClient(dovecot.PlainPort, from.Address, from.Password))
        {
            raw.Create("Small");
            raw.Append("INBOX", Enumerable.Range(0, 400).Select(i => new Seed(Corpus.Message($"range {i}", $"r{i}@x", new string('q', 1000 + i % 7 * 500) + "\r\n"), i % 5 == 0 ? "\\Seen" : "")).ToList());
            raw.Append("Small", Enumerable.Range(0, 3).Select(i => new Seed(Corpus.Message($"small {i}", $"s{i}@x"))).ToList());
        }

        // Both sides through a recording proxy: the logins tell how many connections the copy opened.
        await using var proxy = new ThrottlingProxy(dovecot.PlainPort);
        using var state = new TempDirectory("range-state");
        var outcome = await EngineCopy.RunAsync(dovecot, from, to, state.Path, bothPort: proxy.Port, migrationExtra: FourPairs);

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Mailboxes.SelectMany(m => m.Diagnostics).Concat(outcome.Diagnostics)));
        Assert.Equal(403, outcome.Copied);
        using var source = new RawImapClient(dovecot.PlainPort, from.Address, from.Password);
        using var target = new RawImapClient(dovecot.PlainPort, to.Address, to.Password);
        var sourceInbox = source.FetchAll("INBOX");
        var targetInbox = target.FetchAll("INBOX");
        Assert.Equal(sourceInbox.Select(m => Corpus.Sha(m.Body)).Order(), targetInbox.Select(m => Corpus.Sha(m.Body)).Order());

        // Each range went in in source order: walking the source in UID order, the target position goes down only where one
        // range ends and the next begins, at most three times for four ranges.
        var position = targetInbox.Select((m, i) => (Sha: Corpus.Sha(m.Body), i)).ToDictionary(p => p.Sha, p => p.i);
        var targetOrder = sourceInbox.OrderBy(m => m.Uid).Select(m => position[Corpus.Sha(m.Body)]).ToList();
        var breaks = targetOrder.Zip(targetOrder.Skip(1)).Count(p => p.Second < p.First);
        Assert.InRange(breaks, 0, 3);

        // Two folders alone would use two pairs (four logins); the INBOX's ranges brought at least one more pair.
        var logins = proxy.Commands.Count(c => c.StartsWith("AUTHENTICATE", StringComparison.Ordinal) || c.StartsWith("LOGIN", StringComparison.Ordinal));
        Assert.True(logins >= 6, $"{logins} logins");
    }

    [Fact]
    public async Task A_split_folder_completes_when_the_hosts_connection_cap_leaves_no_slot_for_helpers()
    {
        var from = dovecot.NewUser("rangecapsrc");
        var to = dovecot.NewUser("rangecapdst");
        using (var raw = new RawImapClient(dovecot.PlainPort, from.Address, from.Password))
        {
            raw.Append("INBOX", Enumerable.Range(0, 300).Select(i => new Seed(Corpus.Message($"cap {i}", $"rc{i}@x", new string('c', 2000) + "\r\n"))).ToList());
        }

        // Source and target are one host: three slots for both sides. The folder's own pair holds two; a helper pair gets
        // at most one side, never takes a range, and gives its slot back when the folder is done.
        using var state = new TempDirectory("range-cap-state");
        var outcome = await EngineCopy.RunAsync(dovecot, from, to, state.Path, migrationExtra: FourPairs, endpointExtra: "maxConnections: 3")
            .WaitAsync(TimeSpan.FromMinutes(3));

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Mailboxes.SelectMany(m => m.Diagnostics).Concat(outcome.Diagnostics)));
        Assert.Equal(300, outcome.Copied);
        using var source = new RawImapClient(dovecot.PlainPort, from.Address, from.Password);
        using var target = new RawImapClient(dovecot.PlainPort, to.Address, to.Password);
        Assert.Equal(source.FetchAll("INBOX").Select(m => Corpus.Sha(m.Body)).Order(), target.FetchAll("INBOX").Select(m => Corpus.Sha(m.Body)).Order());
    }

    [Fact]
    public async Task A_connection_dropped_under_one_range_loses_and_duplicates_nothing()
    {
        var from = dovecot.NewUser("rangedropsrc");
        var to = dovecot.NewUser("rangedropdst");
        using (var raw = new RawImapClient(dovecot.PlainPort, from.Address, from.Password))
        {
            raw.Append("INBOX", Enumerable.Range(0, 400).Select(i => new Seed(Corpus.Message($"drop {i}", $"rd{i}@x", new string('z', 3000) + "\r\n"))).ToList());
        }

        // Every target connection is cut once, after about a third of the bytes: ranges are in flight on several pairs.
        await using var proxy = new TcpDropProxy(dovecot.PlainPort, 400_000);
        using var state = new TempDirectory("range-drop-state");
        var outcome = await EngineCopy.RunAsync(dovecot, from, to, state.Path, targetPort: proxy.Port, migrationExtra: FourPairs);

        Assert.Equal(1, proxy.Drops);
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Mailboxes.SelectMany(m => m.Diagnostics).Concat(outcome.Diagnostics)));
        using var source = new RawImapClient(dovecot.PlainPort, from.Address, from.Password);
        using var target = new RawImapClient(dovecot.PlainPort, to.Address, to.Password);
        Assert.Equal(source.FetchAll("INBOX").Select(m => Corpus.Sha(m.Body)).Order(), target.FetchAll("INBOX").Select(m => Corpus.Sha(m.Body)).Order());
    }
}

using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;
using Xunit.Abstractions;
using Seed = MigrationEngine.Adapters.Imap.Tests.RawImapClient.Seed;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// The round trips a copy waits through, read from MailKit protocol traces of every connection (see <see cref="TurnTrace"/>):
/// over a link with latency these, not bytes, set the time of a copy.
/// </summary>
[Collection(DovecotCollection.Name)]
[Trait("Category", "Server")]
public sealed class RoundTripTests(DovecotFixture dovecot, ITestOutputHelper output)
{
    [Fact]
    public async Task Each_batch_costs_one_round_trip_on_each_side()
    {
        var from = dovecot.NewUser("rtsrc");
        var to = dovecot.NewUser("rtdst");
        const int messages = 1000;
        using (var raw = new RawImapClient(dovecot.PlainPort, from.Address, from.Password))
        {
            raw.Append("INBOX", Enumerable.Range(0, messages).Select(i => new Seed(Corpus.Message($"rt {i}", $"rt{i}@x", new string('w', 500 + i % 11 * 300) + "\r\n"), i % 4 == 0 ? "\\Flagged" : "\\Seen")).ToList());
        }

        var sources = new List<TurnTrace>();
        var targets = new List<TurnTrace>();
        TurnTrace Add(List<TurnTrace> traces)
        {
            var trace = new TurnTrace();
            lock (traces)
            {
                traces.Add(trace);
            }

            return trace;
        }

        using var state = new TempDirectory("rt-state");
        // Both sides behind a 10 ms round trip: each command is in flight long enough for the overlap check below to see
        // the pipeline on a loaded machine too (on bare loopback a fetch can finish before the append beside it starts).
        await using var link = new LatencyProxy(dovecot.PlainPort, TimeSpan.FromMilliseconds(5));
        // One pair: the batches of the one folder go one after another (100 messages each, the default).
        var outcome = await EngineCopy.RunAsync(dovecot, from, to, state.Path, bothPort: link.Port, migrationExtra: "concurrency:\n  mailboxes: 1\n  connectionsPerMailbox: 1",
            sourceTrace: () => Add(sources), targetTrace: () => Add(targets));
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Mailboxes.SelectMany(m => m.Diagnostics).Concat(outcome.Diagnostics)));
        Assert.Equal(messages, outcome.Copied);

        var batches = messages / new ExecutionOptions().BatchMessages;
        var sourceTurns = sources.SelectMany(t => t.Turns).ToList();
        var targetTurns = targets.SelectMany(t => t.Turns).ToList();
        foreach (var (side, turns) in new[] { ("source", sourceTurns), ("target", targetTurns) })
        {
            output.WriteLine($"{side}: {turns.Count} round trips on {(side == "source" ? sources : targets).Count} connections");
            foreach (var group in turns.GroupBy(t => string.Join("+", t.Distinct())).OrderByDescending(g => g.Count()))
            {
                output.WriteLine($"  {group.Count(),4} x {group.Key}");
            }
        }

        // A batch's bodies come in one UID FETCH, and its messages go in with one MULTIAPPEND whose literals need no
        // continuation (LITERAL+): one wait for each on its side.
        var fetchTurns = sourceTurns.Count(t => t.Contains("UID FETCH") && t.Count == 1);
        var appendTurns = targetTurns.Count(t => t.Contains("APPEND"));
        Assert.InRange(appendTurns, batches, batches);
        Assert.InRange(fetchTurns, batches, batches + 2);
        // The pipeline: while batch n is appended, batch n+1 is fetched (every append but the last has a fetch beside it,
        // asked for half of them so a loaded machine does not fail the test).
        var fetches = sources.SelectMany(t => t.Turns.Zip(t.Times)).Where(p => p.First.Contains("UID FETCH")).Select(p => p.Second).ToList();
        var appends = targets.SelectMany(t => t.Turns.Zip(t.Times)).Where(p => p.First.Contains("APPEND")).Select(p => p.Second).ToList();
        var overlapped = appends.Count(a => fetches.Any(f => f.Start < a.End && a.Start < f.End));
        output.WriteLine($"{overlapped} of {appends.Count} appends overlapped a fetch");
        Assert.True(overlapped >= batches / 2, $"{overlapped} of {appends.Count} appends overlapped a fetch");
        // Everything else (connect, log in, list, select, the owner marker, the \Flagged check, verification) is a fixed
        // number of round trips, whatever the folder holds.
        Assert.True(sourceTurns.Count <= batches + 12, $"{sourceTurns.Count} source round trips");
        Assert.True(targetTurns.Count <= batches + 16, $"{targetTurns.Count} target round trips");
    }

    [Fact]
    public async Task A_new_folder_costs_its_create_subscribe_one_select_and_its_appends_and_no_listing_or_count_of_its_own()
    {
        var from = dovecot.NewUser("rtfsrc");
        var to = dovecot.NewUser("rtfdst");
        string[] folders = ["Projects", "Projects/Alpha", "Projects/Beta", "Clients", "Clients/North", "Clients/South", "Receipts", "Travel", "Travel/2025", "Travel/2026"];
        using (var raw = new RawImapClient(dovecot.PlainPort, from.Address, from.Password))
        {
            foreach (var folder in folders)
            {
                raw.Create(folder);
                raw.Append(folder, [new Seed(Corpus.Message($"in {folder}", $"{folder.Replace('/', '.')}@x", "body\r\n"))]);
            }
        }

        var targets = new List<TurnTrace>();
        using var state = new TempDirectory("rtf-state");
        var outcome = await EngineCopy.RunAsync(dovecot, from, to, state.Path, migrationExtra: "concurrency:\n  mailboxes: 1\n  connectionsPerMailbox: 1",
            targetTrace: () =>
            {
                var trace = new TurnTrace();
                lock (targets)
                {
                    targets.Add(trace);
                }

                return trace;
            });
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Mailboxes.SelectMany(m => m.Diagnostics).Concat(outcome.Diagnostics)));
        Assert.Equal(folders.Length, outcome.Copied);

        var turns = targets.SelectMany(t => t.Turns).ToList();
        foreach (var group in turns.GroupBy(t => string.Join("+", t.Distinct())).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"  {group.Count(),4} x {group.Key}");
        }

        Assert.Equal(folders.Length, turns.Count(t => t.Contains("CREATE")));
        Assert.Equal(folders.Length, turns.Count(t => t.Contains("SUBSCRIBE")));
        // The folders are listed once per connection (and for the owner marker and verification), not again after each CREATE
        // (MailKit lists the one folder it created, in the turn after each CREATE).
        Assert.True(turns.Count(t => t.Contains("LIST")) <= folders.Length + (2 * targets.Count) + 2, $"{turns.Count(t => t.Contains("LIST"))} LIST round trips on {targets.Count} connections");
        // A folder just created holds nothing: it is not counted with STATUS before its copy. It is opened once (SELECT, to
        // read which keywords it keeps) while the source lists it, not again before its appends.
        Assert.True(turns.Count(t => t.Contains("STATUS")) <= 1, $"{turns.Count(t => t.Contains("STATUS"))} STATUS round trips");
        Assert.True(turns.Count(t => t.Contains("SELECT")) <= folders.Length + 1, $"{turns.Count(t => t.Contains("SELECT"))} SELECT round trips");
    }
}

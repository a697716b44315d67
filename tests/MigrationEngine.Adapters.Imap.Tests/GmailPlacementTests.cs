using MigrationEngine.TestSupport;
using Xunit.Abstractions;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// A Gmail-shaped Dovecot mailbox (<see cref="GmailShapedMailbox"/>) copied with <c>preset: gmail</c> into an
/// Exchange-shaped IMAP target, once per placement mode: every distinct message arrives where the mode says (archived mail
/// in the Archive folder), nothing is lost, a second apply copies nothing, and a delta pass brings new archived, labelled
/// and sent mail.
/// </summary>
[Collection(DovecotCollection.Name)]
[Trait("Category", "Server")]
public sealed class GmailPlacementTests(DovecotFixture dovecot, ITestOutputHelper output)
{
    // Target folders of an Exchange-shaped server (preset exchange names its special folders).
    private static readonly string[] TargetFolders = ["INBOX", "Work", "Work/Projects", "Personal", "Sent Items", "Drafts", "Archive", "Junk Email", "Deleted Items"];

    private static readonly GmailSeed[] NewMail =
    [
        GmailShapedMailbox.Message(40, "newarch", labels: []),
        GmailShapedMailbox.Message(41, "newlab", labels: ["INBOX", "Work"]),
        GmailShapedMailbox.Message(42, "newsent", labels: ["Sent"]),
    ];

    [Fact]
    public async Task Each_label_gets_a_copy_and_archived_mail_goes_to_Archive()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["INBOX"] = ["in1", "in2", "inwork1", "inwork2", "dupA", "twinA"],
            ["Work"] = ["inwork1", "inwork2", "work1", "sent2", "dupB"],
            ["Work/Projects"] = ["proj"],
            ["Personal"] = ["proj"],
            ["Sent Items"] = ["sent1", "sent2"],
            ["Drafts"] = ["draft1"],
            // twinA and twinB share Message-ID, size and date: without X-GM-MSGID they cannot be told apart, so each All Mail
            // entry is archived (twinA twice in the target rather than twinB lost).
            ["Archive"] = ["arch1", "arch2", "arch3", "twinA", "twinB"],
            ["Junk Email"] = ["spam1"],
            ["Deleted Items"] = ["trash1"],
        };
        var afterDelta = new Dictionary<string, string[]> { ["INBOX"] = ["newlab"], ["Work"] = ["newlab"], ["Sent Items"] = ["newsent"], ["Archive"] = ["newarch"] };
        await RunModeAsync("each", "labelCopies: each", expected, copied: 23, placedElsewhere: 0, afterDelta, deltaCopied: 4, deltaPlacedElsewhere: 0);
    }

    [Fact]
    public async Task Once_puts_one_copy_in_the_folder_of_the_label_first_by_priority()
    {
        // The plan's priority (Work/Projects, then Work) comes before the default one (INBOX, Sent, Drafts, labels by name).
        var expected = new Dictionary<string, string[]>
        {
            ["INBOX"] = ["in1", "in2", "dupA", "twinA"],
            ["Work"] = ["inwork1", "inwork2", "work1", "sent2", "dupB"],
            ["Work/Projects"] = ["proj"],
            ["Personal"] = [],
            ["Sent Items"] = ["sent1"],
            ["Drafts"] = ["draft1"],
            ["Archive"] = ["arch1", "arch2", "arch3", "twinA", "twinB"],
            ["Junk Email"] = ["spam1"],
            ["Deleted Items"] = ["trash1"],
        };
        var afterDelta = new Dictionary<string, string[]> { ["Work"] = ["newlab"], ["Sent Items"] = ["newsent"], ["Archive"] = ["newarch"] };
        // The delta pass lists Sent Mail past the highest UID the ledger has there (sent1's): sent2, placed in Work, is named
        // again, with newlab's INBOX entry; status counts each entry once.
        await RunModeAsync("once", "labelCopies: once\ngmail:\n  labelPriority: [Work/Projects, Work]", expected, copied: 19,
            placedElsewhere: 4, afterDelta, deltaCopied: 3, deltaPlacedElsewhere: 2);
    }

    [Fact]
    public async Task Categories_put_one_copy_in_a_system_folder_with_labels_as_keywords()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["INBOX"] = ["in1", "in2", "inwork1", "inwork2", "dupA", "twinA"],
            ["Sent Items"] = ["sent1", "sent2"],
            ["Drafts"] = ["draft1"],
            ["Archive"] = ["work1", "proj", "arch1", "arch2", "arch3", "dupB", "twinA", "twinB"],
            ["Junk Email"] = ["spam1"],
            ["Deleted Items"] = ["trash1"],
        };
        var afterDelta = new Dictionary<string, string[]> { ["INBOX"] = ["newlab"], ["Sent Items"] = ["newsent"], ["Archive"] = ["newarch"] };
        var target = await RunModeAsync("categories", "labelCopies: categories\ngmail:\n  important: keyword", expected, copied: 19, placedElsewhere: 0,
            afterDelta, deltaCopied: 3, deltaPlacedElsewhere: 0);

        Assert.Contains("Work", target["INBOX"]["inwork1"]);
        Assert.Contains("$Important", target["INBOX"]["inwork2"]);
        Assert.DoesNotContain("$Important", target["INBOX"]["inwork1"]);
        Assert.Contains("$Important", target["Archive"]["arch3"]);
        Assert.Contains("Work/Projects", target["Archive"]["proj"]);
        Assert.Contains("Personal", target["Archive"]["proj"]);
        Assert.Contains("Work", target["Sent Items"]["sent2"]);
        Assert.Contains("Work", target["INBOX"]["newlab"]);
        Assert.DoesNotContain(target.Keys, folder => folder is "Work" or "Personal" or "Work/Projects");
    }

    [Fact]
    public async Task An_excluded_label_whose_messages_went_to_another_folder_leaves_nothing_out_on_any_run()
    {
        // 'proj' is labelled Work/Projects and Personal: with Personal excluded it still arrives (in Work/Projects' place),
        // so nothing is left out, on the first apply and on later ones that copy new mail while Work/Projects is unchanged.
        var gmail = dovecot.NewUser("gmail-exclude");
        var exchange = dovecot.NewUser("exo-exclude");
        using (var raw = new RawImapClient(dovecot.PlainPort, gmail.Address, gmail.Password))
        {
            GmailShapedMailbox.Create(raw);
            GmailShapedMailbox.Add(raw, GmailShapedMailbox.Standard());
        }

        using var temp = new TempDirectory("imap-gmail");
        var folder = temp.Path;
        var plan = await PlanEndToEndTests.WriteMasterUserPlanAsync(folder, "gmail-exclude", "gmail", dovecot.PlainPort, gmail.Address, exchange.Address,
            sourceExtra: "preset: gmail", migrationExtra: "labelCopies: each\nfolders:\n  exclude: [Personal]", targetExtra: "preset: exchange");
        foreach (var run in new[] { "first", "second", "third" })
        {
            if (run == "second")
            {
                // New mail in other folders: the next apply copies the mailbox again, with Work/Projects unchanged.
                using var raw = new RawImapClient(dovecot.PlainPort, gmail.Address, gmail.Password);
                GmailShapedMailbox.Add(raw, NewMail);
            }

            var apply = await PlanEndToEndTests.RunCliAsync(output, plan, "apply");
            Assert.True(apply.Exit == 0, $"{run} apply: {apply.Text}");
            Assert.Contains("0 left out by rules", apply.Text, StringComparison.Ordinal);
            var status = await PlanEndToEndTests.RunCliAsync(output, plan, "status", "--output", "json");
            Assert.Contains("\"left_out\": 0,", status.Text, StringComparison.Ordinal);
        }

        Assert.Contains("proj", ReadTarget(exchange, GmailShapedMailbox.Standard()).Values.SelectMany(f => f.Keys));
    }

    /// <summary>
    /// Seeds the standard mailbox, applies, checks every target folder holds exactly the expected messages (by bytes) with
    /// Starred as \Flagged, applies again (nothing copied), adds new mail, applies a delta pass and checks where it went.
    /// Returns the target's messages: folder -> message name -> flags and keywords.
    /// </summary>
    private async Task<Dictionary<string, Dictionary<string, IReadOnlyList<string>>>> RunModeAsync(string mode, string migrationExtra,
        Dictionary<string, string[]> expected, int copied, int placedElsewhere, Dictionary<string, string[]> afterDelta, int deltaCopied, int deltaPlacedElsewhere)
    {
        var gmail = dovecot.NewUser("gmail-" + mode);
        var exchange = dovecot.NewUser("exo-" + mode);
        var seeds = GmailShapedMailbox.Standard();
        using (var raw = new RawImapClient(dovecot.PlainPort, gmail.Address, gmail.Password))
        {
            GmailShapedMailbox.Create(raw);
            GmailShapedMailbox.Add(raw, seeds);
        }

        using var temp = new TempDirectory("imap-gmail");
        var folder = temp.Path;
        var plan = await PlanEndToEndTests.WriteMasterUserPlanAsync(folder, "gmail-" + mode, "gmail", dovecot.PlainPort, gmail.Address, exchange.Address,
            sourceExtra: "preset: gmail", migrationExtra: migrationExtra, targetExtra: "preset: exchange");

        var first = await PlanEndToEndTests.RunCliAsync(output, plan, "apply");
        Assert.True(first.Exit == 0, first.Text);
        Assert.Contains($"Copied {copied} messages", first.Text, StringComparison.Ordinal);
        Assert.Contains("0 left out by rules", first.Text, StringComparison.Ordinal);
        Assert.Equal(placedElsewhere > 0, first.Text.Contains($"{placedElsewhere} placed elsewhere", StringComparison.Ordinal));

        var target = ReadTarget(exchange, seeds);
        AssertFolders(expected, target);
        // Nothing lost: every distinct message of the source is somewhere in the target.
        var arrived = target.Values.SelectMany(f => f.Keys).ToHashSet(StringComparer.Ordinal);
        Assert.All(seeds, seed => Assert.Contains(seed.Name, arrived));
        // Starred is \Flagged wherever the message went.
        Assert.All(target.Values.SelectMany(f => f).Where(m => m.Key is "in2" or "arch2"), m => Assert.Contains("\\Flagged", m.Value));

        var second = await PlanEndToEndTests.RunCliAsync(output, plan, "apply");
        Assert.True(second.Exit == 0, second.Text);
        Assert.Contains("Copied 0 messages", second.Text, StringComparison.Ordinal);

        using (var raw = new RawImapClient(dovecot.PlainPort, gmail.Address, gmail.Password))
        {
            GmailShapedMailbox.Add(raw, NewMail);
        }

        var delta = await PlanEndToEndTests.RunCliAsync(output, plan, "apply", "--delta");
        Assert.True(delta.Exit == 0, delta.Text);
        Assert.Contains($"Copied {deltaCopied} messages", delta.Text, StringComparison.Ordinal);
        Assert.Equal(deltaPlacedElsewhere > 0, delta.Text.Contains($"{deltaPlacedElsewhere} placed elsewhere", StringComparison.Ordinal));
        var all = seeds.Concat(NewMail).ToList();
        var final = ReadTarget(exchange, all);
        var withDelta = expected.ToDictionary(e => e.Key, e => e.Value.Concat(afterDelta.GetValueOrDefault(e.Key, [])).ToArray());
        AssertFolders(withDelta, final);

        var status = await PlanEndToEndTests.RunCliAsync(output, plan, "status");
        Assert.Contains("done", status.Text, StringComparison.Ordinal);
        Assert.Equal(placedElsewhere > 0, status.Text.Contains("elsewhere", StringComparison.Ordinal));
        if (placedElsewhere > 0)
        {
            // Every entry once: the first apply's, and newlab's INBOX entry from the delta pass.
            var json = await PlanEndToEndTests.RunCliAsync(output, plan, "status", "--output", "json");
            Assert.Contains($"\"placed_elsewhere\": {placedElsewhere + 1}", json.Text, StringComparison.Ordinal);
        }
        return final;
    }

    private static void AssertFolders(Dictionary<string, string[]> expected, Dictionary<string, Dictionary<string, IReadOnlyList<string>>> target)
    {
        foreach (var name in TargetFolders)
        {
            var want = expected.GetValueOrDefault(name, []).Order(StringComparer.Ordinal).ToList();
            var have = target.TryGetValue(name, out var messages) ? messages.Keys.Order(StringComparer.Ordinal).ToList() : [];
            Assert.True(want.SequenceEqual(have), $"{name}: expected [{string.Join(", ", want)}], found [{string.Join(", ", have)}]");
        }
    }

    /// <summary>Each target folder's messages by seed name (a message twice in one folder is listed once, with "#2").</summary>
    private Dictionary<string, Dictionary<string, IReadOnlyList<string>>> ReadTarget(TestUser user, IReadOnlyList<GmailSeed> seeds)
    {
        var bySha = seeds.ToDictionary(s => s.Sha, s => s.Name, StringComparer.Ordinal);
        var result = new Dictionary<string, Dictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
        using var raw = new RawImapClient(dovecot.PlainPort, user.Address, user.Password);
        var folders = raw.List();
        foreach (var name in folders.Keys)
        {
            if (folders[name].Contains("\\Noselect", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var messages = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var message in raw.FetchAll(name))
            {
                var seed = bySha.GetValueOrDefault(Corpus.Sha(message.Body), "unknown");
                messages[messages.ContainsKey(seed) ? seed + "#2" : seed] = message.Flags;
            }

            if (messages.Count > 0)
            {
                result[name] = messages;
            }
        }

        return result;
    }
}

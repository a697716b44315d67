using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Execution.Gmail;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Tests.Execution;

/// <summary>The Gmail model (one message, many labels) and the placement rules, without a server.</summary>
[Trait("Category", "Unit")]
public sealed class GmailModelTests
{
    private static readonly DateTimeOffset Date = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly SourceFolder Inbox = new("INBOX", SpecialUse.Inbox);
    private static readonly SourceFolder AllMail = new("[Gmail]/All Mail", SpecialUse.All);
    private static readonly SourceFolder Sent = new("[Gmail]/Sent Mail", SpecialUse.Sent);
    private static readonly SourceFolder Work = new("Work");
    private static readonly SourceFolder Personal = new("Personal");
    private static readonly SourceFolder Starred = new("[Gmail]/Starred", SpecialUse.Flagged);

    private static SourceMessage Summary(string uid, string key, long size = 100, DateTimeOffset? date = null) =>
        new() { SourceId = uid, DedupKey = key, Size = size, InternalDate = date ?? Date };

    private static GmailModel Model(params (SourceFolder Folder, SourceMessage[] Messages)[] folders) =>
        GmailModel.FromFolders(folders.Select(f => (f.Folder, GmailModel.RoleOf(f.Folder), (IReadOnlyList<SourceMessage>)f.Messages)));

    private static GmailPlacement Placement(LabelCopyMode mode, GmailSettings? settings = null, Func<string, bool>? included = null) =>
        new(mode, settings ?? new GmailSettings(), included ?? (_ => true));

    [Fact]
    public void A_message_in_several_folders_is_one_message_with_those_labels()
    {
        var model = Model(
            (AllMail, [Summary("1", "id:a"), Summary("2", "id:b")]),
            (Inbox, [Summary("7", "id:a")]),
            (Work, [Summary("3", "id:a")]));

        Assert.Equal(2, model.Messages.Count);
        var labelled = model.Messages.Single(m => m.Occurrences.Count == 3);
        Assert.True(labelled.Has(GmailFolderRole.Inbox) && labelled.Has(GmailFolderRole.Label));
        var archived = model.Messages.Single(m => m.Occurrences.Count == 1);
        Assert.True(Placement(LabelCopyMode.Once).Decide(archived).Archived);
    }

    [Fact]
    public void Messages_sharing_a_Message_ID_with_other_bytes_stay_distinct()
    {
        // Same Message-ID, different size: two messages; each keeps its own label.
        var model = Model(
            (AllMail, [Summary("1", "id:dup", 100), Summary("2", "id:dup", 250)]),
            (Inbox, [Summary("1", "id:dup", 100)]),
            (Work, [Summary("1", "id:dup", 250)]));

        Assert.Equal(2, model.Messages.Count);
        var once = Placement(LabelCopyMode.Once);
        Assert.Equal(["INBOX", "Work"], model.Messages.Select(m => once.Decide(m).Copies.Single().Label.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Messages_alike_in_key_size_and_date_are_never_merged()
    {
        var model = Model(
            (AllMail, [Summary("1", "id:twin"), Summary("2", "id:twin")]),
            (Inbox, [Summary("5", "id:twin")]));

        // Which All Mail entry the INBOX one is cannot be known: every entry is its own message, both archived.
        Assert.Equal(3, model.Messages.Count);
        var decisions = model.Messages.Select(Placement(LabelCopyMode.Once).Decide).ToList();
        Assert.Equal(2, decisions.Count(d => d.Archived));
    }

    [Fact]
    public void Once_follows_the_plan_priority_then_inbox_sent_drafts_then_labels_by_name()
    {
        var model = Model(
            (AllMail, [Summary("1", "id:a"), Summary("2", "id:b")]),
            (Inbox, [Summary("1", "id:a")]),
            (Sent, [Summary("1", "id:b")]),
            (Work, [Summary("1", "id:a"), Summary("2", "id:b")]),
            (Personal, [Summary("1", "id:b")]));
        var inboxAndWork = model.Messages.Single(m => m.Has(GmailFolderRole.Inbox));
        var sentAndLabels = model.Messages.Single(m => m.Has(GmailFolderRole.Sent));

        Assert.Equal("INBOX", Placement(LabelCopyMode.Once).Decide(inboxAndWork).Copies.Single().Label.Path);
        Assert.Equal("[Gmail]/Sent Mail", Placement(LabelCopyMode.Once).Decide(sentAndLabels).Copies.Single().Label.Path);
        var workFirst = Placement(LabelCopyMode.Once, new GmailSettings { LabelPriority = ["work"] });
        Assert.Equal("Work", workFirst.Decide(inboxAndWork).Copies.Single().Label.Path);
        // An excluded folder places nothing: the next label wins.
        var noSent = Placement(LabelCopyMode.Once, included: path => path != "[Gmail]/Sent Mail");
        Assert.Equal("Personal", noSent.Decide(sentAndLabels).Copies.Single().Label.Path);
        Assert.Equal(3, Placement(LabelCopyMode.Each).Decide(sentAndLabels).Copies.Count);
    }

    [Fact]
    public void Categories_keep_labels_as_keywords_and_starred_and_important_as_the_plan_says()
    {
        var model = Model(
            (AllMail, [Summary("1", "id:a")]),
            (Work, [Summary("1", "id:a")]),
            (new SourceFolder("Très (urgent)"), [Summary("1", "id:a")]),
            (Starred, [Summary("1", "id:a")]),
            (new SourceFolder("[Gmail]/Important", SpecialUse.Important), [Summary("1", "id:a")]));
        var message = Assert.Single(model.Messages);

        var decision = Placement(LabelCopyMode.Categories, new GmailSettings { Important = ImportantPlacement.Keyword }).Decide(message);

        Assert.True(decision.Archived);
        Assert.Equal(MailFlags.Flagged, decision.Flags);
        Assert.Equal(["$Important", "Tr_s__urgent_", "Work"], decision.Keywords.Order(StringComparer.Ordinal));
        Assert.Equal(["Important", "Très (urgent)", "Work"], decision.Categories.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(GmailPlacement.ImportantKeyword, Placement(LabelCopyMode.Categories).Decide(message).Keywords);
    }

    [Fact]
    public void Labels_read_from_X_GM_LABELS_map_to_their_folders()
    {
        var labels = new Dictionary<string, (SourceFolder, GmailFolderRole)>(StringComparer.OrdinalIgnoreCase)
        {
            ["\\Inbox"] = (Inbox, GmailFolderRole.Inbox),
            ["Work"] = (Work, GmailFolderRole.Label),
        };
        var model = GmailModel.FromLabels(AllMail,
            [(Summary("10", "id:a"), ["\\Inbox", "Work"]), (Summary("11", "id:b"), ["Hidden label"])],
            label => labels.TryGetValue(label, out var found) ? found : null);

        Assert.Equal(2, model.Messages.Count);
        var work = Assert.Single(model.InFolder("Work"));
        Assert.Equal("10", work.Occurrence.Summary.SourceId);
        Assert.Equal(AllMail, work.Occurrence.Backing);
        Assert.True(Placement(LabelCopyMode.Each).Decide(model.Messages[1]).Archived);
    }
}

using System.Text.Json;
using MigrationEngine.Core.Diffing;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Diffing;

[Trait("Category", "Unit")]
public sealed class PlanDifferTests : IDisposable
{
    private readonly DiffPlans _plans = new();

    public void Dispose() => _plans.Dispose();

    [Fact]
    public void The_same_plan_written_differently_has_no_differences()
    {
        var before = _plans.Load("old", PlanYaml.ImapToMaildir());
        // Mailboxes in another order and case, comments added: the same meaning.
        var reordered = PlanYaml.ImapToMaildir(mailboxes: "        # moved up\n        - target: bob@fabrikam.test\n          source: BOB@contoso.test\n        - source: ann@contoso.test\n          target: ann@fabrikam.test\n");
        var after = _plans.Load("new", reordered);

        var diff = PlanDiffer.Compare(before, after);

        Assert.Empty(diff.Changes);
    }

    [Fact]
    public void Identical_plans_in_different_folders_do_not_differ()
    {
        var diff = PlanDiffer.Compare(_plans.Load("a", PlanYaml.ImapToMaildir()), _plans.Load("b", PlanYaml.ImapToMaildir()));

        Assert.False(diff.HasChanges);
        Assert.Contains("No differences.", PlanDiffRenderer.Text(diff), StringComparison.Ordinal);
    }

    [Fact]
    public void Added_removed_retargeted_and_moved_mailboxes_are_told_apart()
    {
        var before = _plans.Load("old", PlanYaml.ImapToMaildir(extraSets: "    vip:\n      mailboxes:\n        - source: cid@contoso.test\n          target: cid@fabrikam.test\n", sets: "[users, vip]"));
        var after = _plans.Load("new", PlanYaml.ImapToMaildir(
            mailboxes: "        - source: ANN@contoso.test\n          target: ann.new@fabrikam.test\n        - source: cid@contoso.test\n          target: cid@fabrikam.test\n        - source: dan@contoso.test\n          target: dan@fabrikam.test\n",
            extraSets: "    vip:\n      mailboxes:\n        - source: eve@contoso.test\n          target: eve@fabrikam.test\n",
            sets: "[users, vip]"));

        var mailboxChanges = PlanDiffer.Compare(before, after).Changes.Where(c => c.Category == "mailbox").Select(c => (c.Subject.ToLowerInvariant(), c.Kind, c.Field)).ToList();

        Assert.Equal(
            [
                ("ann@contoso.test", PlanChangeKind.Retargeted, "target"),
                ("bob@contoso.test", PlanChangeKind.Removed, null),
                ("cid@contoso.test", PlanChangeKind.Moved, "mailboxSets"),
                ("dan@contoso.test", PlanChangeKind.Added, null),
                ("eve@contoso.test", PlanChangeKind.Added, null),
            ],
            mailboxChanges);
    }

    [Fact]
    public void Settings_are_compared_field_by_field()
    {
        var before = _plans.Load("old", PlanYaml.ImapToMaildir());
        var after = _plans.Load("new", PlanYaml.ImapToMaildir(host: "mail.contoso.test", password: "file:secrets/imap.txt", filters: "since: 2021-06-01\n        maxMessageSize: 150MB"));

        var diff = PlanDiffer.Compare(before, after);

        Assert.True(diff.Changes.Count == 4, string.Join("\n", diff.Changes));
        Assert.Contains(new PlanChange("source", "imap", PlanChangeKind.Changed, "host", "imap.contoso.test", "mail.contoso.test"), diff.Changes);
        Assert.Contains(new PlanChange("source", "imap", PlanChangeKind.Changed, "auth.password", "env:IMAP_PASSWORD", "file:secrets/imap.txt"), diff.Changes);
        Assert.Contains(diff.Changes, c => c is { Category: "migration", Field: "filters.since", Before: "2020-01-01T00:00:00Z" });
        Assert.Contains(diff.Changes, c => c is { Category: "migration", Field: "filters.maxMessageSize", Before: "(none)" });
        Assert.Equal(4, diff.Changes.Count);
    }

    [Fact]
    public void Literal_secrets_show_as_changed_but_their_values_appear_in_no_output()
    {
        const string Options = "  options:\n    allowPlaintextSecrets: true\n";
        var before = _plans.Load("old", PlanYaml.ImapToMaildir(password: "Old-S3cret-Value!", options: Options));
        var after = _plans.Load("new", PlanYaml.ImapToMaildir(password: "New-S3cret-Value!", options: Options));

        var diff = PlanDiffer.Compare(before, after);

        var change = Assert.Single(diff.Changes);
        Assert.Equal(("auth.password", "<literal secret>", "<literal secret>"), (change.Field, change.Before, change.After));
        foreach (var format in new[] { "text", "json", "markdown" })
        {
            var output = PlanDiffRenderer.Render(diff, format);
            Assert.DoesNotContain("S3cret", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Json_and_markdown_carry_every_change()
    {
        var diff = PlanDiffer.Compare(_plans.Load("old", PlanYaml.ImapToMaildir()), _plans.Load("new", PlanYaml.ImapToMaildir(host: "new|host.test", mailboxes: "        - source: ann@contoso.test\n          target: ann@fabrikam.test\n")));

        using var json = JsonDocument.Parse(PlanDiffRenderer.Json(diff));
        var markdown = PlanDiffRenderer.Markdown(diff);

        Assert.True(json.RootElement.GetProperty("changed").GetBoolean());
        Assert.Equal(diff.Changes.Count, json.RootElement.GetProperty("changes").GetArrayLength());
        Assert.Contains("| ~ | source `imap` | changed host: imap.contoso.test -> new\\|host.test |", markdown, StringComparison.Ordinal);
        Assert.Contains("| - | mailbox `bob@contoso.test` | removed (target bob@fabrikam.test; sets users; migrations mail) |  |", markdown, StringComparison.Ordinal);
    }
}

using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Tests.Diffing;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Compilation;

/// <summary>
/// The compile stage on its own: which steps a plan becomes, their ids and edges, and which changes of the plan change
/// which steps' input hashes (what makes <c>plan</c> show a step as to be re-run and <c>apply</c> re-run it).
/// </summary>
[Trait("Category", "Unit")]
public sealed class PlanCompilerTests : IDisposable
{
    private readonly DiffPlans _plans = new();

    [Fact]
    public void An_engine_driven_migration_is_five_steps_per_mailbox_joined_by_one_migration_step()
    {
        var graph = PlanCompiler.Compile(_plans.Load("basic", PlanYaml.ImapToMaildir()));

        Assert.Equal(
            [
                "preflight-source/mail/ann@fabrikam.test", "preflight-target/mail/ann@fabrikam.test", "ensure-folders/mail/ann@fabrikam.test",
                "copy/mail/ann@fabrikam.test", "verify/mail/ann@fabrikam.test",
                "preflight-source/mail/bob@fabrikam.test", "preflight-target/mail/bob@fabrikam.test", "ensure-folders/mail/bob@fabrikam.test",
                "copy/mail/bob@fabrikam.test", "verify/mail/bob@fabrikam.test",
                "migration/mail",
            ],
            graph.Steps.Select(s => s.Id));
        var steps = graph.Steps.ToDictionary(s => s.Id);
        Assert.Empty(steps["preflight-source/mail/ann@fabrikam.test"].DependsOn);
        Assert.Equal(["preflight-source/mail/ann@fabrikam.test", "preflight-target/mail/ann@fabrikam.test"], steps["ensure-folders/mail/ann@fabrikam.test"].DependsOn);
        Assert.Equal(["ensure-folders/mail/ann@fabrikam.test"], steps["copy/mail/ann@fabrikam.test"].DependsOn);
        Assert.Equal(["copy/mail/ann@fabrikam.test"], steps["verify/mail/ann@fabrikam.test"].DependsOn);
        Assert.Equal(["verify/mail/ann@fabrikam.test", "verify/mail/bob@fabrikam.test"], steps["migration/mail"].DependsOn);
        Assert.All(graph.Steps.Where(s => s.Kind != StepKind.MigrationDone), s => Assert.Equal(s.Id[(s.Id.LastIndexOf('/') + 1)..], s.Mailbox));
    }

    [Fact]
    public void The_mailbox_key_is_the_trimmed_lower_case_target_address()
    {
        var plan = _plans.Load("keys", PlanYaml.ImapToMaildir(
            mailboxes: "        - source: ann@contoso.test\n          target: Ann@Fabrikam.TEST\n        - source: cy@contoso.test\n          target: CY@fabrikam.test\n"));

        var graph = PlanCompiler.Compile(plan);

        Assert.Equal(["ann@fabrikam.test", "cy@fabrikam.test"], graph.Steps.Where(s => s.Kind == StepKind.CopyFolders).Select(s => s.Mailbox));
        Assert.Equal("ann@fabrikam.test", PlanCompiler.MailboxKey("  Ann@Fabrikam.TEST "));
    }

    [Fact]
    public void A_changed_filter_changes_the_copy_steps_hashes_and_leaves_the_preflights_alone()
    {
        var before = Hashes(_plans.Load("f1", PlanYaml.ImapToMaildir(filters: "since: 2020-01-01")));
        var after = Hashes(_plans.Load("f2", PlanYaml.ImapToMaildir(filters: "since: 2021-01-01")));

        Assert.Equal(before["preflight-source/mail/ann@fabrikam.test"], after["preflight-source/mail/ann@fabrikam.test"]);
        Assert.Equal(before["preflight-target/mail/ann@fabrikam.test"], after["preflight-target/mail/ann@fabrikam.test"]);
        Assert.NotEqual(before["ensure-folders/mail/ann@fabrikam.test"], after["ensure-folders/mail/ann@fabrikam.test"]);
        Assert.NotEqual(before["copy/mail/ann@fabrikam.test"], after["copy/mail/ann@fabrikam.test"]);
        Assert.NotEqual(before["verify/mail/ann@fabrikam.test"], after["verify/mail/ann@fabrikam.test"]);
    }

    [Fact]
    public void A_changed_source_host_changes_the_source_preflight_and_not_the_target_preflight()
    {
        var before = Hashes(_plans.Load("h1", PlanYaml.ImapToMaildir(host: "imap.contoso.test")));
        var after = Hashes(_plans.Load("h2", PlanYaml.ImapToMaildir(host: "mail.contoso.test")));

        Assert.NotEqual(before["preflight-source/mail/bob@fabrikam.test"], after["preflight-source/mail/bob@fabrikam.test"]);
        Assert.Equal(before["preflight-target/mail/bob@fabrikam.test"], after["preflight-target/mail/bob@fabrikam.test"]);
        Assert.NotEqual(before["copy/mail/bob@fabrikam.test"], after["copy/mail/bob@fabrikam.test"]);
    }

    [Fact]
    public void Compiling_is_pure_the_same_plan_gives_the_same_graph_and_the_secret_reference_is_not_in_it()
    {
        var plan = _plans.Load("pure", PlanYaml.ImapToMaildir(password: "env:IMAP_PASSWORD_FOR_COMPILE_TEST"));
        var first = PlanCompiler.Compile(plan);
        var second = PlanCompiler.Compile(plan);

        Assert.Equal(first.Steps.Select(s => (s.Id, s.InputHash, string.Join(",", s.DependsOn))), second.Steps.Select(s => (s.Id, s.InputHash, string.Join(",", s.DependsOn))));
        Assert.All(first.Steps, s => Assert.DoesNotContain("IMAP_PASSWORD_FOR_COMPILE_TEST", s.Description, StringComparison.Ordinal));
    }

    [Fact]
    public void A_migration_that_depends_on_another_starts_after_its_migration_step()
    {
        var yaml = PlanYaml.ImapToMaildir() + """

                - name: later
                  type: imap
                  from: imap
                  to: local
                  mailboxSets: [late]
                  dependsOn: [mail]
            """;
        yaml = yaml.Replace("  migrations:", "    late:\n      mailboxes:\n        - source: dee@contoso.test\n          target: dee@fabrikam.test\n  migrations:", StringComparison.Ordinal);

        var steps = PlanCompiler.Compile(_plans.Load("depends", yaml)).Steps.ToDictionary(s => s.Id);

        Assert.Equal(["migration/mail"], steps["preflight-source/later/dee@fabrikam.test"].DependsOn);
        Assert.Equal(["migration/mail"], steps["preflight-target/later/dee@fabrikam.test"].DependsOn);
        Assert.Equal(["verify/later/dee@fabrikam.test"], steps["migration/later"].DependsOn);
    }

    private static Dictionary<string, string> Hashes(Model.PlanModel plan) => PlanCompiler.Compile(plan).Steps.ToDictionary(s => s.Id, s => s.InputHash);

    public void Dispose() => _plans.Dispose();
}

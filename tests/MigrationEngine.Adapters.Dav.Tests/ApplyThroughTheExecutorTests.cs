using MigrationEngine.Core;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Execution;
using MigrationEngine.State.Sqlite;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Dav.Tests;

/// <summary>
/// <c>apply</c> of a plan with <c>items: [contacts, calendar]</c> from one Radicale user to another, through the real
/// loader, compiler, executor, ledger and the DAV factories as the CLI registers them: every item arrives once, a second
/// apply writes nothing, and an apply with a fresh state finds everything already in the target.
/// </summary>
[Collection(RadicaleCollection.Name)]
[Trait("Category", "Server")]
public sealed class ApplyThroughTheExecutorTests(RadicaleFixture radicale)
{
    [Fact]
    public async Task Apply_moves_contacts_and_events_once_and_converges_with_and_without_state()
    {
        var (from, to) = (radicale.NewUser(), radicale.NewUser());
        await DavSeed.StandardAsync(radicale, from);
        using var temp = new TempDirectory("dav-apply");
        var folder = temp.Path;
        var planFile = Path.Combine(folder, "plan.yaml");
        await File.WriteAllTextAsync(planFile, $"""
            apiVersion: migration-engine/v1
            kind: MigrationPlan
            metadata:
              name: dav-apply
            spec:
              sources:
                old:
                  type: dav
                  url: {radicale.BaseUrl}
                  allowInsecure: true
              targets:
                new:
                  type: dav
                  url: {radicale.BaseUrl}
                  allowInsecure: true
                  auth:
                    username: "{"{mailbox}"}"
                    password: {to.SecretReference}
              mailboxSets:
                staff:
                  mailboxes:
                    - source: {from.Address}
                      target: {to.Address}
                      password: {from.SecretReference}
              migrations:
                - name: pim
                  type: import
                  from: old
                  to: new
                  items: [contacts, calendar]
                  mailboxSets: [staff]
            """);

        var first = await ApplyAsync(planFile, Path.Combine(folder, "state.db"));
        Assert.Equal((2L, 0L, 0L), Counts(first, ItemKind.Contacts));
        // Three events; the task in the mixed calendar is not a calendar event and is not read.
        Assert.Equal((3L, 0L, 0L), Counts(first, ItemKind.Calendar));

        var second = await ApplyAsync(planFile, Path.Combine(folder, "state.db"));
        Assert.Equal(0, second.Items.Written);

        // A fresh state: the target's own markers say every item is there.
        var fresh = await ApplyAsync(planFile, Path.Combine(folder, "fresh.db"));
        Assert.Equal(0, fresh.Items.Written);
        Assert.Equal((0L, 2L, 0L), Counts(fresh, ItemKind.Contacts));
        Assert.Equal((0L, 3L, 0L), Counts(fresh, ItemKind.Calendar));

        using var check = new RawDav(radicale, to);
        Assert.Equal(2, (await check.MembersAsync(check.Home + "contacts/")).Count);
    }

    private static (long Created, long Present, long Bad) Counts(RunSummary summary, ItemKind kind)
    {
        var counters = summary.Items[kind];
        return (counters.Created, counters.AlreadyPresent, counters.BadItems);
    }

    private static async Task<RunSummary> ApplyAsync(string planFile, string stateFile)
    {
        var loaded = PlanPipeline.Load(planFile);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        var plan = loaded.Plan!;
        await using var store = await SqliteStateStore.OpenAsync(stateFile, CancellationToken.None);
        var registry = new AdapterRegistry().Add((IPimSourceFactory)new DavSourceFactory()).Add((IPimTargetFactory)new DavTargetFactory());
        var summary = await new Executor(store, registry, Serilog.Core.Logger.None).ApplyAsync(plan, PlanCompiler.Compile(plan), new ExecutionOptions(), CancellationToken.None);
        Assert.True(summary.Succeeded, string.Join("\n", summary.Mailboxes.SelectMany(m => m.Diagnostics).Concat(summary.Diagnostics)));
        return summary;
    }
}

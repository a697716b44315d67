using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>
/// The ends of ensure-folders and of each folder's copy have no write of their own: they go with the mailbox's next step
/// write (DeferredStepEnds). Whether the mailbox succeeds or fails, none is lost: each step's record says what happened,
/// with the time it really ended.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DeferredStepEndsApplyTests
{
    private const string Address = "carol@example.com";

    [Fact]
    public async Task After_a_run_every_step_of_the_mailbox_is_recorded_done_with_its_own_end()
    {
        using var temp = new TempDirectory();
        var planFile = WriteSourceAndPlan(temp, pairs: 2);
        var (summary, steps) = await ApplyAsync(planFile, temp.Combine("state.db"), new MaildirTargetFactory());

        Assert.True(summary.Succeeded, string.Join("\n", summary.Mailboxes.SelectMany(m => m.Diagnostics)));
        var key = PlanCompiler.MailboxKey(Address);
        var copy = steps[$"copy/m/{key}"];
        foreach (var id in new[] { $"ensure-folders/m/{key}", $"copy/m/{key}/INBOX", $"copy/m/{key}/Small" })
        {
            var record = steps[id];
            Assert.Equal(StepStatus.Succeeded, record.Status);
            Assert.NotNull(record.FinishedAt);
            // Its own end, not the time of the write that carried it.
            Assert.InRange(record.FinishedAt!.Value, record.StartedAt!.Value, copy.FinishedAt!.Value);
        }

        Assert.All(steps.Values, record => Assert.Equal(StepStatus.Succeeded, record.Status));
    }

    [Fact]
    public async Task A_one_folder_mailbox_writes_its_steps_three_times_and_each_record_keeps_its_own_times()
    {
        using var temp = new TempDirectory();
        var mailbox = temp.Combine("source", Address);
        TestSupport.WriteMaildirMessages(Path.Combine(mailbox, "cur"), Address, "inbox", 4, "deferred.test");
        var planFile = temp.Combine("plan.yaml");
        File.WriteAllText(planFile, TestSupport.OneMailboxImportPlan("deferred-ends", "maildir", temp.Combine("source"), temp.Combine("target"), Address, 1));
        StepWriteCounter? counter = null;
        var (summary, steps) = await TestSupport.ApplyPlanAsync(planFile, temp.Combine("state.db"), new FileSourceFactory(), new MaildirTargetFactory(), batchMessages: 5,
            (store, plan) => store.GetStepsAsync(plan.Name, CancellationToken.None), store => StepWriteCounter.Wrap(store, out counter));

        Assert.True(summary.Succeeded, string.Join("\n", summary.Mailboxes.SelectMany(m => m.Diagnostics)));
        // The mailbox's three: the start of ensure-folders and the copy (with both preflights), the folder's start, and the
        // verify's end (with the folder's, ensure-folders' and the copy's ends and the verify's start); then the migration's
        // own step. Six before the preflights and the verify's start were deferred too.
        Assert.Equal(4, counter!.Writes);
        var key = PlanCompiler.MailboxKey(Address);
        var order = new[] { "preflight-source", "preflight-target", "copy", "verify" }.Select(kind => steps[$"{kind}/m/{key}"]).ToList();
        Assert.All(order, record =>
        {
            Assert.Equal(StepStatus.Succeeded, record.Status);
            Assert.Equal(1, record.Attempts);
            Assert.InRange(record.FinishedAt!.Value, record.StartedAt!.Value, DateTimeOffset.MaxValue);
        });
        // Each step started when it did, not when the write that carried it ran.
        Assert.True(order[0].FinishedAt <= order[1].StartedAt && order[1].FinishedAt <= order[2].StartedAt && order[2].FinishedAt <= order[3].StartedAt);
        Assert.Equal(4, summary.Copied);
    }

    [Fact]
    public async Task A_mailbox_that_fails_after_a_folder_was_copied_keeps_that_folder_and_the_folders_ensured_done()
    {
        using var temp = new TempDirectory();
        var planFile = WriteSourceAndPlan(temp, pairs: 1);
        var (first, steps) = await ApplyAsync(planFile, temp.Combine("state.db"), new RefusingTargetFactory(new MaildirTargetFactory()));

        Assert.False(first.Succeeded);
        var key = PlanCompiler.MailboxKey(Address);
        Assert.Equal(StepStatus.Succeeded, steps[$"ensure-folders/m/{key}"].Status);
        Assert.Equal(StepStatus.Succeeded, steps[$"copy/m/{key}/INBOX"].Status);
        Assert.Equal(StepStatus.Failed, steps[$"copy/m/{key}/Small"].Status);
        Assert.Equal(StepStatus.Failed, steps[$"copy/m/{key}"].Status);

        var (second, _) = await ApplyAsync(planFile, temp.Combine("state.db"), new MaildirTargetFactory());
        Assert.True(second.Succeeded, string.Join("\n", second.Mailboxes.SelectMany(m => m.Diagnostics)));
        Assert.Equal(12 + 3, first.Copied + second.Copied);
        Assert.Equal(12, Directory.GetFiles(temp.Combine("target", Address, "cur")).Length);
        Assert.Equal(3, Directory.GetFiles(temp.Combine("target", Address, ".Small", "cur")).Length);
    }

    private static string WriteSourceAndPlan(TempDirectory temp, int pairs)
    {
        var mailbox = temp.Combine("source", Address);
        TestSupport.WriteMaildirMessages(Path.Combine(mailbox, "cur"), Address, "inbox", 12, "deferred.test");
        TestSupport.WriteMaildirMessages(Path.Combine(mailbox, ".Small", "cur"), Address, "small", 3, "deferred.test");
        var planFile = temp.Combine("plan.yaml");
        File.WriteAllText(planFile, TestSupport.OneMailboxImportPlan("deferred-ends", "maildir", temp.Combine("source"), temp.Combine("target"), Address, pairs));
        return planFile;
    }

    private static Task<(RunSummary Summary, IReadOnlyDictionary<string, StepRecord> Steps)> ApplyAsync(string planFile, string stateFile, IMailTargetFactory target) =>
        TestSupport.ApplyPlanAsync(planFile, stateFile, new FileSourceFactory(), target, batchMessages: 5,
            (store, plan) => store.GetStepsAsync(plan.Name, CancellationToken.None));

    /// <summary>Maildir targets that refuse, for good, every message appended to "Small".</summary>
    private sealed class RefusingTargetFactory(IMailTargetFactory inner) : IMailTargetFactory
    {
        public IReadOnlyCollection<EndpointType> Types => inner.Types;

        public async Task<IMailTarget> OpenAsync(MailboxContext context, CancellationToken cancellationToken) =>
            new RefusingTarget(await inner.OpenAsync(context, cancellationToken));

        private sealed class RefusingTarget(IMailTarget inner) : DelegatingMailTarget(inner)
        {
            public override Task<IReadOnlyList<AppendResult>> AppendAsync(TargetFolder folder, IReadOnlyList<MessageContent> messages, CancellationToken cancellationToken) =>
                folder.Path == "Small"
                    ? throw new MigrationException(Diagnose.ImapCommandRefused(SourceLocation.None("plan.yaml"), "target.test", 143, "APPEND", Address, "NO [OVERQUOTA] full"))
                    : base.AppendAsync(folder, messages, cancellationToken);
        }
    }
}

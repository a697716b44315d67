using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>
/// The target's folders are created on the first pair while the other pairs copy the folders that exist
/// (TargetFolderEnsurer): INBOX is copied while "Small" is still being created, and a folder that cannot be created fails
/// the mailbox in the ensure step, with the copy step ended (not left running) and nothing copied twice on the next run.
/// </summary>
[Trait("Category", "Unit")]
public sealed class FolderCreationOverlapTests
{
    private const string Address = "alice@example.com";
    private const int InboxMessages = 40;

    [Fact]
    public async Task Inbox_is_copied_while_a_missing_folder_is_being_created()
    {
        using var temp = new TempDirectory();
        var planFile = WriteSourceAndPlan(temp);
        // "Small" is created only once a message reached INBOX on another pair: without the overlap this would wait for ever
        // (the gate gives up after 20 s and says so).
        var gate = new GatedTargetFactory(new MaildirTargetFactory(), failCreation: false);
        var (summary, _) = await ApplyAsync(planFile, temp.Combine("state.db"), gate);

        Assert.True(summary.Succeeded, string.Join("\n", summary.Mailboxes.SelectMany(m => m.Diagnostics)));
        Assert.False(gate.GaveUp, "the folder was created before any message reached INBOX: the copy waited for the creations");
        Assert.Equal(InboxMessages + 3, summary.Copied);
        Assert.Equal(InboxMessages, Directory.GetFiles(temp.Combine("target", Address, "cur")).Length);
        Assert.Equal(3, Directory.GetFiles(temp.Combine("target", Address, ".Small", "cur")).Length);
    }

    [Fact]
    public async Task A_folder_that_cannot_be_created_fails_the_mailbox_in_the_ensure_step_and_the_next_run_copies_the_rest_once()
    {
        using var temp = new TempDirectory();
        var planFile = WriteSourceAndPlan(temp);
        var failing = new GatedTargetFactory(new MaildirTargetFactory(), failCreation: true);
        var (first, steps) = await ApplyAsync(planFile, temp.Combine("state.db"), failing);

        Assert.False(first.Succeeded);
        var diagnostic = Assert.Single(first.Mailboxes.SelectMany(m => m.Diagnostics));
        Assert.Contains("Small", diagnostic.Message, StringComparison.Ordinal);
        var key = PlanCompiler.MailboxKey(Address);
        Assert.Equal(StepStatus.Failed, steps[$"ensure-folders/m/{key}"].Status);
        // The copy step ends with the ensure step's cause, not left running as after a crash.
        Assert.Equal(StepStatus.Failed, steps[$"copy/m/{key}"].Status);
        Assert.Equal(diagnostic.Message, steps[$"copy/m/{key}"].Error);

        var (second, _) = await ApplyAsync(planFile, temp.Combine("state.db"), new GatedTargetFactory(new MaildirTargetFactory(), failCreation: false));
        Assert.True(second.Succeeded, string.Join("\n", second.Mailboxes.SelectMany(m => m.Diagnostics)));
        Assert.Equal(InboxMessages + 3, first.Copied + second.Copied);
        Assert.Equal(InboxMessages, Directory.GetFiles(temp.Combine("target", Address, "cur")).Length);
        Assert.Equal(3, Directory.GetFiles(temp.Combine("target", Address, ".Small", "cur")).Length);
    }

    private static string WriteSourceAndPlan(TempDirectory temp)
    {
        var mailbox = temp.Combine("source", Address);
        TestSupport.WriteMaildirMessages(Path.Combine(mailbox, "cur"), Address, "inbox", InboxMessages, "overlap.test");
        TestSupport.WriteMaildirMessages(Path.Combine(mailbox, ".Small", "cur"), Address, "small", 3, "overlap.test");
        var planFile = temp.Combine("plan.yaml");
        File.WriteAllText(planFile, TestSupport.OneMailboxImportPlan("folders-overlap", "maildir", temp.Combine("source"), temp.Combine("target"), Address, 2));
        return planFile;
    }

    private static Task<(RunSummary Summary, IReadOnlyDictionary<string, StepRecord> Steps)> ApplyAsync(string planFile, string stateFile, IMailTargetFactory target) =>
        TestSupport.ApplyPlanAsync(planFile, stateFile, new FileSourceFactory(), target, batchMessages: 10,
            (store, plan) => store.GetStepsAsync(plan.Name, CancellationToken.None));

    /// <summary>
    /// Maildir targets whose creation of "Small" waits until a message was appended to INBOX (or fails, permanently).
    /// </summary>
    private sealed class GatedTargetFactory(IMailTargetFactory inner, bool failCreation) : IMailTargetFactory
    {
        private readonly TaskCompletionSource _inboxAppended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool GaveUp { get; private set; }

        private bool FailCreation => failCreation;

        public IReadOnlyCollection<EndpointType> Types => inner.Types;

        public async Task<IMailTarget> OpenAsync(MailboxContext context, CancellationToken cancellationToken) =>
            new GatedTarget(await inner.OpenAsync(context, cancellationToken), this);

        private sealed class GatedTarget(IMailTarget inner, GatedTargetFactory gate) : DelegatingMailTarget(inner)
        {
            public override async Task<TargetFolder> EnsureFolderAsync(string path, SpecialUse specialUse, CancellationToken cancellationToken)
            {
                if (path == "Small")
                {
                    if (gate.FailCreation)
                    {
                        throw new MigrationException(Diagnose.ImapFolderCreateFailed(SourceLocation.None("plan.yaml"), path, Address, "target.test", 143, "NO [NOPERM] refused"));
                    }

                    try
                    {
                        await gate._inboxAppended.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
                    }
                    catch (TimeoutException)
                    {
                        gate.GaveUp = true;
                    }
                }

                return await base.EnsureFolderAsync(path, specialUse, cancellationToken);
            }

            public override async Task<IReadOnlyList<AppendResult>> AppendAsync(TargetFolder folder, IReadOnlyList<MessageContent> messages, CancellationToken cancellationToken)
            {
                var results = await base.AppendAsync(folder, messages, cancellationToken);
                if (folder.Path == "INBOX")
                {
                    gate._inboxAppended.TrySetResult();
                }

                return results;
            }
        }
    }
}

using System.Globalization;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.State;

/// <summary>
/// The figures every output gives about messages, and the one sentence they are said in: the apply summary on the console,
/// <c>status</c>, <c>summary.md</c> and <c>report.html</c> all build their counts here, so they cannot disagree. Left out
/// counts the messages the plan's rules leave out: filters (dates, size, \Deleted) and folder rules (folders.include and
/// folders.exclude), each recorded with the rule that named it.
/// </summary>
public sealed record MessageAccount(long Copied, long Bytes, long AlreadyPresent, long LeftOut, long BadItems, long Warnings, long PlacedElsewhere = 0)
{
    public static readonly MessageAccount None = new(0, 0, 0, 0, 0, 0);

    /// <summary>What one run did (its counters), not what the state holds.</summary>
    public static MessageAccount OfRun(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(summary.Copied, summary.BytesCopied, summary.AlreadyPresent, summary.Filtered, summary.BadItems, summary.Warnings, summary.PlacedElsewhere);
    }

    /// <summary>What an earlier run did, from the summary it recorded; nothing for a run without one.</summary>
    public static MessageAccount OfRecordedRun(RunSummaryJson? recorded) => recorded is null
        ? None
        : new(recorded.Copied, recorded.Bytes, recorded.Present, recorded.Filtered, recorded.BadItems, recorded.Warnings);

    /// <summary>What the state holds for one mailbox (ledger and item events, each message once).</summary>
    public static MessageAccount Of(MailboxTotals? totals) => totals is null
        ? None
        : new(totals.Copied, totals.BytesCopied, totals.AlreadyPresent, totals.Filtered, totals.BadItems, totals.Warnings, totals.PlacedElsewhere);

    public MessageAccount Add(MessageAccount other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Copied + other.Copied, Bytes + other.Bytes, AlreadyPresent + other.AlreadyPresent, LeftOut + other.LeftOut, BadItems + other.BadItems,
            Warnings + other.Warnings, PlacedElsewhere + other.PlacedElsewhere);
    }

    /// <summary>"307 copied (263.1 KB), 0 already present, 12 left out by rules, 0 bad items, 2 warnings".</summary>
    public string Sentence => string.Create(CultureInfo.InvariantCulture, $"{Copied:N0} copied ({Executor.FormatSize(Bytes)}), {Details}");

    /// <summary>Everything but the copies: "0 already present, 12 left out by rules, 0 bad items, 2 warnings" (placed elsewhere only when some are).</summary>
    public string Details => string.Create(CultureInfo.InvariantCulture,
        $"{AlreadyPresent:N0} already present, {LeftOut:N0} left out by rules, {BadItems:N0} bad items, {Warnings:N0} warnings")
        + (PlacedElsewhere > 0 ? string.Create(CultureInfo.InvariantCulture, $", {PlacedElsewhere:N0} placed elsewhere (one copy of a message with several labels)") : string.Empty);
}

/// <summary>Mailboxes by status: every mailbox of the plan, pending ones included.</summary>
public sealed record MailboxTally(long Mailboxes, long Done, long Failed, long InProgress, long Pending)
{
    /// <summary>Interrupted mailboxes count as in progress: apply resumes them.</summary>
    public static MailboxTally Of(IEnumerable<MailboxState> states)
    {
        long mailboxes = 0, done = 0, failed = 0, inProgress = 0, pending = 0;
        foreach (var state in states)
        {
            mailboxes++;
            switch (state)
            {
                case MailboxState.Done: done++; break;
                case MailboxState.Failed: failed++; break;
                case MailboxState.InProgress or MailboxState.Interrupted: inProgress++; break;
                default: pending++; break;
            }
        }

        return new(mailboxes, done, failed, inProgress, pending);
    }

    /// <summary>"3 mailboxes: 3 done, 0 failed, 0 in progress, 0 pending".</summary>
    public string Sentence => string.Create(CultureInfo.InvariantCulture, $"{Mailboxes:N0} mailboxes: {Done:N0} done, {Failed:N0} failed, {InProgress:N0} in progress, {Pending:N0} pending");
}

/// <summary>One mailbox of the plan: its status from its steps and its messages from the state.</summary>
public sealed record MailboxAccount(string Migration, string Mailbox, MailboxStatus Status, MessageAccount Messages)
{
    /// <summary>Contacts and calendars, from the last pass of the mailbox's item steps (empty when the migration moves mail only).</summary>
    public ItemAccount Items { get; init; } = ItemAccount.None;
}

/// <summary>The account of a whole plan from its state: per mailbox, then the totals every output prints.</summary>
public sealed record PlanAccount(IReadOnlyList<MailboxAccount> Mailboxes, MessageAccount Totals, MailboxTally Tally)
{
    /// <summary>The step records the account was made from (graph-level ones when the store reads them alone).</summary>
    public IReadOnlyDictionary<string, StepRecord> Steps { get; init; } = new Dictionary<string, StepRecord>();

    /// <summary>Contacts and calendars of the whole plan (empty when it moves mail only).</summary>
    public ItemAccount Items { get; init; } = ItemAccount.None;

    /// <summary>"In total: ...; 3 mailboxes: ..." as the console, status and the reports print it.</summary>
    public string TotalLine => FormatTotalLine(Totals, Tally, Items);

    /// <summary>The account's closing line; the reports make it from their own sums of the same state figures.</summary>
    public static string FormatTotalLine(MessageAccount totals, MailboxTally tally, ItemAccount? items = null) =>
        $"In total: {totals.Sentence}; {(items is { Any: true } ? items.TotalSentence + "; " : string.Empty)}{tally.Sentence}.";

    public static PlanAccount Build(PlanModel plan, ExecutionGraph graph, IReadOnlyDictionary<string, StepRecord> steps, IEnumerable<MailboxTotals> totals)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(graph);
        var byMailbox = totals.ToDictionary(t => (t.Migration, t.Mailbox));
        var stepsByMailbox = StepDecisions.GroupByMailbox(graph.Steps);
        var mailboxes = new List<MailboxAccount>();
        foreach (var migration in plan.Migrations)
        {
            foreach (var mailbox in PlanCompiler.MailboxesOf(plan, migration))
            {
                var key = PlanCompiler.MailboxKey(mailbox);
                byMailbox.TryGetValue((migration.Name, key), out var total);
                var mailboxSteps = stepsByMailbox.GetValueOrDefault((migration.Name, key)) ?? [];
                var status = StepDecisions.MailboxStatusOf(mailboxSteps, steps, total is not null);
                mailboxes.Add(new MailboxAccount(migration.Name, key, status, MessageAccount.Of(total)) { Items = ItemAccount.FromSteps(mailboxSteps, steps) });
            }
        }

        var sum = mailboxes.Aggregate(MessageAccount.None, (account, mailbox) => account.Add(mailbox.Messages));
        var items = mailboxes.Aggregate(ItemAccount.None, (account, mailbox) => account.Add(mailbox.Items));
        return new PlanAccount(mailboxes, sum, MailboxTally.Of(mailboxes.Select(m => m.Status.State))) { Steps = steps, Items = items };
    }

    /// <summary>Reads what it needs from the store: graph-level step records (the light query where the store has it) and totals.</summary>
    public static Task<PlanAccount> ReadAsync(PlanModel plan, ExecutionGraph graph, IStateStore store, CancellationToken cancellationToken) =>
        ReadAsync(plan, Task.FromResult(graph), store, cancellationToken);

    /// <summary>As above, with the graph still compiling: the state is read meanwhile (status of a large plan on two cores).</summary>
    public static async Task<PlanAccount> ReadAsync(PlanModel plan, Task<ExecutionGraph> graph, IStateStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(store);
        var steps = store is IStepStatusStore light
            ? await light.GetGraphStepStatusesAsync(plan.Name, cancellationToken)
            : await store.GetStepsAsync(plan.Name, cancellationToken);
        var totals = await store.GetMailboxTotalsAsync(plan.Name, cancellationToken);
        return Build(plan, await graph, steps, totals);
    }
}

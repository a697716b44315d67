using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.State;

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

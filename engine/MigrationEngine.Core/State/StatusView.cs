using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.State;

/// <summary>What <c>status</c> prints from the state: a row per mailbox of the plan, the totals and the account's total line.</summary>
public sealed record StatusView(string Plan, IReadOnlyList<StatusRow> Rows, MessageAccount Totals, MailboxTally Tally, string TotalLine)
{
    /// <summary>Builds the view from the plan, its graph and the account read from the state (the slow, exact path).</summary>
    public static StatusView Build(PlanModel model, ExecutionGraph graph, PlanAccount account)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(account);
        // Exchange-native batches have no per-mailbox steps: each mailbox shows what the batch steps recorded (status, DCS, skipped items).
        var native = model.Migrations.Where(m => PlanCompiler.IsExchangeNative(model, m))
            .ToDictionary(m => m.Name, m => NativeMigrationStatus.Users(graph, account.Steps, m.Name));
        var targets = native.Count == 0
            ? []
            : model.Migrations.Where(m => native.ContainsKey(m.Name))
                .ToDictionary(m => m.Name, m => PlanCompiler.MailboxesOf(model, m).ToDictionary(PlanCompiler.MailboxKey, b => b.TargetAddress));
        var rows = new List<StatusRow>(account.Mailboxes.Count);
        foreach (var mailbox in account.Mailboxes)
        {
            if (native.TryGetValue(mailbox.Migration, out var users))
            {
                var user = users.GetValueOrDefault(targets[mailbox.Migration][mailbox.Mailbox]);
                rows.Add(new StatusRow(mailbox.Migration, mailbox.Mailbox, user?.Status.ToLowerInvariant() ?? "pending", 0, 0, 0, 0, 0, 0, user?.Skipped ?? 0, user?.Detail()));
                continue;
            }

            var status = mailbox.Status;
            var messages = mailbox.Messages;
            var note = status.State == MailboxState.Interrupted
                ? $"interrupted after {messages.Copied} copied; run apply to resume"
                : status.Failure?.Error;
            rows.Add(new StatusRow(mailbox.Migration, mailbox.Mailbox, status.Text, status.StepsDone, status.Steps, messages.Copied, messages.Bytes, messages.AlreadyPresent, messages.LeftOut, messages.BadItems, note)
            {
                PlacedElsewhere = messages.PlacedElsewhere,
            });
        }

        return new StatusView(model.Name, rows, account.Totals, account.Tally, account.TotalLine);
    }
}

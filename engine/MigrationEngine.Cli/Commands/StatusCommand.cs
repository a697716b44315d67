using MigrationEngine.Cli.Hosting;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Commands;

internal static class StatusCommand
{
    public static Command Create(CliConsole console)
    {
        var plan = Options.Plan();
        var state = Options.State();
        var output = Options.Output("text", "json");
        var command = new Command("status", "Progress per migration and mailbox, from state") { plan, state, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var model = PlanInput.Load(console, parse.GetValue(plan)!);
            if (model is null)
            {
                return ExitCodes.Error;
            }

            var statePath = StateLocator.Resolve(model, parse.GetValue(state));
            if (!StateLocator.MayExist(statePath))
            {
                console.Out.WriteLine($"Plan {model.Name} has not been applied yet (no state at {statePath}).");
                return ExitCodes.Success;
            }

            // Compiled while the state is read: the two take about as long at 50,000 mailboxes.
            var compiling = Task.Run(() => PlanCompiler.Compile(model), cancellationToken);

            await using var store = await StateLocator.OpenAsync(console, model, parse.GetValue(state), cancellationToken);
            if (store is null)
            {
                return ExitCodes.Error;
            }

            // One account of the plan: the same figures, and the same total line, as apply's summary and the reports.
            var account = await PlanAccount.ReadAsync(model, compiling, store, cancellationToken);
            var graph = await compiling;
            var owner = await store.GetLockOwnerAsync(model.Name, cancellationToken);
            var now = DateTimeOffset.UtcNow;
            var leases = store is IMailboxLeaseStore leaseStore
                ? (await leaseStore.GetMailboxLeasesAsync(model.Name, cancellationToken)).ToDictionary(l => (l.Migration, l.Mailbox))
                : [];
            // Exchange-native batches have no per-mailbox steps: each mailbox shows what the batch steps recorded (status, DCS, skipped items).
            var steps = account.Steps;
            var native = model.Migrations.Where(m => PlanCompiler.IsExchangeNative(model, m))
                .ToDictionary(m => m.Name, m => NativeMigrationStatus.Users(graph, steps, m.Name));
            var targets = model.Migrations.ToDictionary(m => m.Name, m => PlanCompiler.MailboxesOf(model, m).ToDictionary(PlanCompiler.MailboxKey, b => b.TargetAddress));
            var rows = new List<StatusRow>();
            foreach (var mailbox in account.Mailboxes)
            {
                if (native.TryGetValue(mailbox.Migration, out var users))
                {
                    var user = users.GetValueOrDefault(targets[mailbox.Migration][mailbox.Mailbox]);
                    rows.Add(new StatusRow(mailbox.Migration, mailbox.Mailbox, user?.Status.ToLowerInvariant() ?? "pending", 0, 0, 0, 0, 0, 0, user?.Skipped ?? 0, user?.Detail(), null));
                    continue;
                }

                var status = mailbox.Status;
                var messages = mailbox.Messages;
                var note = status.State == MailboxState.Interrupted
                    ? $"interrupted after {messages.Copied} copied; run apply to resume"
                    : status.Failure?.Error;
                var holder = leases.TryGetValue((mailbox.Migration, mailbox.Mailbox), out var lease) ? $"{lease} ({LeaseRules.Describe(LeaseRules.StateOf(lease, now))})" : null;
                rows.Add(new StatusRow(mailbox.Migration, mailbox.Mailbox, status.Text, status.StepsDone, status.Steps, messages.Copied, messages.Bytes, messages.AlreadyPresent, messages.LeftOut, messages.BadItems, note, holder)
                {
                    PlacedElsewhere = messages.PlacedElsewhere,
                });
            }

            if (parse.GetValue(output) == "json")
            {
                var totals = new
                {
                    mailboxes = account.Tally.Mailboxes, done = account.Tally.Done, failed = account.Tally.Failed, in_progress = account.Tally.InProgress, pending = account.Tally.Pending,
                    copied = account.Totals.Copied, bytes = account.Totals.Bytes, already_present = account.Totals.AlreadyPresent, left_out = account.Totals.LeftOut,
                    bad_items = account.Totals.BadItems, warnings = account.Totals.Warnings, placed_elsewhere = account.Totals.PlacedElsewhere, line = account.TotalLine,
                };
                console.Out.WriteLine(JsonSerializer.Serialize(new { format_version = "1", plan = model.Name, locked_by = owner?.ToString(), totals, mailboxes = rows }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
                return ExitCodes.Success;
            }

            // Written at once: a line per mailbox, each its own write to a terminal or pipe, cost more than building them.
            using var text = new StringWriter(CultureInfo.InvariantCulture);
            text.WriteLine($"Plan {model.Name}, state {StateStoreFactory.Describe(statePath)}" + (owner is null ? string.Empty : $", being applied by {owner}"));
            var width = Math.Max(7, rows.Count == 0 ? 0 : rows.Max(r => r.Mailbox.Length));
            foreach (var group in rows.GroupBy(r => r.Migration))
            {
                text.WriteLine();
                text.WriteLine($"Migration {group.Key}");
                // Gmail label entries whose message's one copy went to another folder: a column only where there are some.
                var elsewhere = group.Any(r => r.PlacedElsewhere > 0);
                text.WriteLine($"  {"mailbox".PadRight(width)}  {"status",-11}  {"steps",5}  {"copied",8}  {"size",9}  {"present",8}  {"left out",8}  {"bad",5}" + (elsewhere ? $"  {"elsewhere",9}" : string.Empty));
                foreach (var row in group)
                {
                    text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {row.Mailbox.PadRight(width)}  {row.Status,-11}  {row.StepsDone,2}/{row.Steps,-2}  {row.Copied,8}  {Executor.FormatSize(row.Bytes),9}  {row.AlreadyPresent,8}  {row.LeftOut,8}  {row.BadItems,5}")
                        + (elsewhere ? string.Create(CultureInfo.InvariantCulture, $"  {row.PlacedElsewhere,9}") : string.Empty));
                    if (row.Error is not null)
                    {
                        text.WriteLine($"    {row.Error}");
                    }

                    if (row.HeldBy is not null)
                    {
                        text.WriteLine($"    held by {row.HeldBy}");
                    }
                }
            }

            text.WriteLine();
            text.WriteLine(account.TotalLine);
            console.Out.Write(text.ToString());
            return ExitCodes.Success;
        });
        return command;
    }

    private sealed record StatusRow(string Migration, string Mailbox, string Status, int StepsDone, int Steps, long Copied, long Bytes, long AlreadyPresent, long LeftOut, long BadItems, string? Error, string? HeldBy)
    {
        public long PlacedElsewhere { get; init; }
    }
}

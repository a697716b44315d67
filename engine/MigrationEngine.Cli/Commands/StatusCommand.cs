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

            var graph = PlanCompiler.Compile(model);
            var statePath = StateLocator.Resolve(model, parse.GetValue(state));
            if (!StateLocator.MayExist(statePath))
            {
                console.Out.WriteLine($"Plan {model.Name} has not been applied yet (no state at {statePath}).");
                return ExitCodes.Success;
            }

            await using var store = await StateLocator.OpenAsync(console, model, parse.GetValue(state), cancellationToken);
            if (store is null)
            {
                return ExitCodes.Error;
            }

            var steps = await store.GetStepsAsync(model.Name, cancellationToken);
            var totals = (await store.GetMailboxTotalsAsync(model.Name, cancellationToken))
                .ToDictionary(t => (t.Migration, t.Mailbox));
            var owner = await store.GetLockOwnerAsync(model.Name, cancellationToken);
            var now = DateTimeOffset.UtcNow;
            var leases = store is IMailboxLeaseStore leaseStore
                ? (await leaseStore.GetMailboxLeasesAsync(model.Name, cancellationToken)).ToDictionary(l => (l.Migration, l.Mailbox))
                : [];
            var rows = new List<StatusRow>();
            foreach (var migration in model.Migrations)
            {
                // Exchange-native batches have no per-mailbox steps: each mailbox shows what the batch steps recorded (status, DCS, skipped items).
                var native = PlanCompiler.IsExchangeNative(model, migration) ? NativeMigrationStatus.Users(graph, steps, migration.Name) : null;
                foreach (var mailbox in PlanCompiler.MailboxesOf(model, migration))
                {
                    var key = PlanCompiler.MailboxKey(mailbox);
                    if (native is not null)
                    {
                        var user = native.GetValueOrDefault(mailbox.TargetAddress);
                        rows.Add(new StatusRow(migration.Name, key, user?.Status.ToLowerInvariant() ?? "pending", 0, 0, 0, 0, 0, 0, user?.Skipped ?? 0, user?.Detail(), null));
                        continue;
                    }

                    var mailboxSteps = graph.Steps.Where(s => s.Migration == migration.Name && s.Mailbox == key).ToList();
                    totals.TryGetValue((migration.Name, key), out var total);
                    var status = StepDecisions.MailboxStatusOf(mailboxSteps, steps, total is not null);
                    var note = status.State == MailboxState.Interrupted
                        ? $"interrupted after {total?.Copied ?? 0} copied; run apply to resume"
                        : status.Failure?.Error;
                    var holder = leases.TryGetValue((migration.Name, key), out var lease) ? $"{lease} ({LeaseRules.Describe(LeaseRules.StateOf(lease, now))})" : null;
                    rows.Add(new StatusRow(migration.Name, key, status.Text, status.StepsDone, status.Steps, total?.Copied ?? 0, total?.BytesCopied ?? 0, total?.AlreadyPresent ?? 0, total?.Filtered ?? 0, total?.BadItems ?? 0, note, holder)
                    {
                        PlacedElsewhere = total?.PlacedElsewhere ?? 0,
                    });
                }
            }

            if (parse.GetValue(output) == "json")
            {
                console.Out.WriteLine(JsonSerializer.Serialize(new { format_version = "1", plan = model.Name, locked_by = owner?.ToString(), mailboxes = rows }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
                return ExitCodes.Success;
            }

            console.Out.WriteLine($"Plan {model.Name}, state {StateStoreFactory.Describe(statePath)}" + (owner is null ? string.Empty : $", being applied by {owner}"));
            var width = Math.Max(7, rows.Count == 0 ? 0 : rows.Max(r => r.Mailbox.Length));
            foreach (var group in rows.GroupBy(r => r.Migration))
            {
                console.Out.WriteLine();
                console.Out.WriteLine($"Migration {group.Key}");
                // Gmail label entries whose message's one copy went to another folder: a column only where there are some.
                var elsewhere = group.Any(r => r.PlacedElsewhere > 0);
                console.Out.WriteLine($"  {"mailbox".PadRight(width)}  {"status",-11}  {"steps",5}  {"copied",8}  {"size",9}  {"present",8}  {"filtered",8}  {"bad",5}" + (elsewhere ? $"  {"elsewhere",9}" : string.Empty));
                foreach (var row in group)
                {
                    console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {row.Mailbox.PadRight(width)}  {row.Status,-11}  {row.StepsDone,2}/{row.Steps,-2}  {row.Copied,8}  {Executor.FormatSize(row.Bytes),9}  {row.AlreadyPresent,8}  {row.Filtered,8}  {row.BadItems,5}")
                        + (elsewhere ? string.Create(CultureInfo.InvariantCulture, $"  {row.PlacedElsewhere,9}") : string.Empty));
                    if (row.Error is not null)
                    {
                        console.Out.WriteLine($"    {row.Error}");
                    }

                    if (row.HeldBy is not null)
                    {
                        console.Out.WriteLine($"    held by {row.HeldBy}");
                    }
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private sealed record StatusRow(string Migration, string Mailbox, string Status, int StepsDone, int Steps, long Copied, long Bytes, long AlreadyPresent, long Filtered, long BadItems, string? Error, string? HeldBy)
    {
        public long PlacedElsewhere { get; init; }
    }
}

using System.CommandLine;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Commands;

/// <summary>
/// Breaks the plan's lock and the mailbox leases whose holder is gone (dead on this host, expired, or a damaged row).
/// A live holder's lock or lease is only broken with --force, and the holder is named either way: a running apply whose
/// lease is broken stops that mailbox at its next ledger write.
/// </summary>
internal static class UnlockCommand
{
    public static Command Create(CliConsole console)
    {
        var plan = Options.Plan();
        var state = Options.State();
        var force = new Option<bool>("--force") { Description = "Also break the lock and leases of holders that still run (they stop the mailbox at their next write)" };
        var command = new Command("unlock", "Break the plan's lock and mailbox leases left by processes that are gone (--force: also live ones)") { plan, state, force };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var model = PlanInput.Load(console, parse.GetValue(plan)!);
            if (model is null)
            {
                return ExitCodes.Error;
            }

            await using var store = await StateLocator.OpenAsync(console, model, parse.GetValue(state), cancellationToken);
            if (store is null)
            {
                return ExitCodes.Error;
            }

            var forced = parse.GetValue(force);
            var planFile = parse.GetValue(plan)!;
            var refused = new List<Diagnostic>();
            var owner = await store.GetLockOwnerAsync(model.Name, cancellationToken);
            if (owner is not null)
            {
                // A lock row that names a live process is broken only with --force; a damaged one always.
                if (forced || owner.Damaged is not null)
                {
                    await store.ForceUnlockAsync(model.Name, cancellationToken);
                    console.Out.WriteLine($"Removed the lock of plan {model.Name} held by {owner}.");
                }
                else
                {
                    refused.Add(Diagnose.PlanLocked(SourceLocation.None(planFile), model.Name, owner,
                        hint: $"wait for it to finish, or break it with 'migrate unlock {planFile} --force'"));
                }
            }

            var leases = store is IMailboxLeaseStore leaseStore ? await leaseStore.GetMailboxLeasesAsync(model.Name, cancellationToken) : [];
            var now = DateTimeOffset.UtcNow;
            foreach (var lease in leases)
            {
                var holder = LeaseRules.StateOf(lease, now);
                if (holder == LeaseHolderState.Live && !forced)
                {
                    refused.Add(Diagnose.LeaseHeld(SourceLocation.None(planFile), lease.Mailbox, lease.Migration, lease,
                        hint: $"wait for it to finish, or break it with 'migrate unlock {planFile} --force' (the holder stops that mailbox at its next write)"));
                    continue;
                }

                if (await ((IMailboxLeaseStore)store).BreakMailboxLeaseAsync(model.Name, lease.Migration, lease.Mailbox, cancellationToken))
                {
                    console.Out.WriteLine($"Broke the lease of mailbox {lease.Mailbox} (migration {lease.Migration}) held by {lease} ({LeaseRules.Describe(holder)}).");
                }
            }

            if (owner is null && leases.Count == 0)
            {
                console.Out.WriteLine($"Plan {model.Name} was not locked and no mailbox is leased.");
            }

            DiagnosticPrinter.Print(console, refused, "text", false);
            return refused.Count == 0 ? ExitCodes.Success : ExitCodes.Error;
        });
        return command;
    }
}

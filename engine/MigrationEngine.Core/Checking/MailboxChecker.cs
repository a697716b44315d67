using System.Diagnostics;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Checking;

/// <summary>
/// <c>migrate check</c>: for each mailbox (or a sample) connects and logs in to its source and its target, once each, with no
/// retry: a wrong password or an unknown host is a permanent answer, and check is there to find it in seconds. Mailboxes
/// of a migration are checked in parallel up to its <c>concurrency.mailboxes</c>. Nothing is written anywhere: adapters
/// whose open would create something answer through <see cref="IMailboxProbe"/>.
/// </summary>
public sealed partial class MailboxChecker(AdapterRegistry adapters, Serilog.ILogger? logger = null)
{
    private readonly Serilog.ILogger _logger = logger ?? Serilog.Core.Logger.None;

    public async Task<CheckReport> CheckAsync(PlanModel plan, CheckOptions options, IReadOnlyCollection<string> builtinTemplates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var diagnostics = ReferenceResolver.Resolve(plan, builtinTemplates).ToList();
        var work = Select(plan, options);
        if (options.Mailbox is { } wanted && work.All(w => w.Mailboxes.Count == 0))
        {
            diagnostics.Add(Diagnose.CheckMailboxUnknown(Diagnostics.SourceLocation.None(Path.GetFileName(plan.PlanFile)), wanted,
                hint: "give a source or target address the plan lists (see migrate plan)"));
        }

        var rows = new List<MailboxCheck>();
        foreach (var (migration, mailboxes) in work)
        {
            var results = new MailboxCheck[mailboxes.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, mailboxes.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, migration.Concurrency.Mailboxes), CancellationToken = cancellationToken },
                async (index, ct) => results[index] = await CheckMailboxAsync(plan, migration, mailboxes[index], options, ct));
            rows.AddRange(results);
        }

        return new CheckReport(diagnostics, rows, clock.Elapsed);
    }

    private static List<(MigrationDefinition Migration, IReadOnlyList<MailboxEntry> Mailboxes)> Select(PlanModel plan, CheckOptions options)
    {
        var work = new List<(MigrationDefinition, IReadOnlyList<MailboxEntry>)>();
        foreach (var migration in plan.Migrations)
        {
            IReadOnlyList<MailboxEntry> mailboxes = PlanCompiler.MailboxesOf(plan, migration);
            if (options.Mailbox is { } wanted)
            {
                mailboxes = mailboxes.Where(m => string.Equals(m.SourceAddress, wanted, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(m.TargetAddress, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
            }

            if (options.Sample is { } sample && sample > 0 && mailboxes.Count > sample)
            {
                // Evenly spread, so a sample of a CSV sees its start, middle and end (and the same rows every time).
                var all = mailboxes;
                mailboxes = Enumerable.Range(0, sample).Select(i => all[(int)((long)i * all.Count / sample)]).ToList();
            }

            work.Add((migration, mailboxes));
        }

        return work;
    }

    private async Task<MailboxCheck> CheckMailboxAsync(PlanModel plan, MigrationDefinition migration, MailboxEntry mailbox, CheckOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var source = plan.Sources.GetValueOrDefault(migration.From);
        var target = plan.Targets.GetValueOrDefault(migration.To);
        var sourceCheck = source is null ? Task.FromResult(new ProbeResult(ProbeOutcome.NotChecked)) : ProbeAsync(plan, migration, source, mailbox, options, cancellationToken);
        var targetCheck = target is null ? Task.FromResult(new ProbeResult(ProbeOutcome.NotChecked)) : ProbeAsync(plan, migration, target, mailbox, options, cancellationToken);
        var results = await Task.WhenAll(sourceCheck, targetCheck);
        return new MailboxCheck(migration.Name, mailbox, results[0], results[1], clock.Elapsed);
    }

    private async Task<ProbeResult> ProbeAsync(PlanModel plan, MigrationDefinition migration, EndpointDefinition endpoint, MailboxEntry mailbox, CheckOptions options, CancellationToken cancellationToken)
    {
        var context = new MailboxContext(plan, migration, endpoint, mailbox, _logger);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.Timeout);
        try
        {
            if (UsesPimAdapter(migration, endpoint))
            {
                return await ProbePimAsync(context, limit.Token);
            }

            if (endpoint.Role == EndpointRole.Source)
            {
                if (!adapters.HasSource(endpoint.Type))
                {
                    return new ProbeResult(ProbeOutcome.NotChecked);
                }

                var factory = adapters.Source(endpoint.Type, endpoint.Location);
                if (factory is IMailboxProbe probe)
                {
                    return await probe.ProbeAsync(context, limit.Token);
                }

                await using var opened = await factory.OpenAsync(context, limit.Token);
                return ProbeResult.Ok;
            }

            if (!adapters.HasTarget(endpoint.Type))
            {
                return new ProbeResult(ProbeOutcome.NotChecked);
            }

            var targets = adapters.Target(endpoint.Type, endpoint.Location);
            if (targets is IMailboxProbe targetProbe)
            {
                return await targetProbe.ProbeAsync(context, limit.Token);
            }

            await using var target = await targets.OpenAsync(context, limit.Token);
            return ProbeResult.Ok;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(ProbeOutcome.Unreachable, Diagnose.CheckTimedOut(endpoint.Location,
                endpoint.Role == EndpointRole.Source ? "source" : "target", $"'{endpoint.Name}' for {context.Address}", (int)options.Timeout.TotalSeconds,
                    hint: "check the host and port, or raise --timeout"));
        }
        catch (Exception ex) when (ex is MigrationException or SecretUnavailableException or IOException)
        {
            var diagnostic = RetryPolicy.ToDiagnostic(ex, migration, context.Address);
            return new ProbeResult(Classify(ex, diagnostic), diagnostic);
        }
    }

    /// <summary>The outcome an adapter's diagnostic stands for (one home for this mapping).</summary>
    public static ProbeOutcome Classify(Exception ex, Diagnostic diagnostic)
    {
        if (ex is SecretUnavailableException)
        {
            return ProbeOutcome.SecretMissing;
        }

        if (ex is IOException)
        {
            return ProbeOutcome.Unreachable;
        }

        return diagnostic.Code switch
        {
            var c when c == DiagnosticCatalog.ImapAuthenticationFailed.Code => IsAuthorization(diagnostic.Message) ? ProbeOutcome.NotAuthorized : ProbeOutcome.LoginRefused,
            var c when c == DiagnosticCatalog.GraphAuthenticationFailed.Code || c == DiagnosticCatalog.ImapOAuthTokenFailed.Code => ProbeOutcome.LoginRefused,
            var c when c == DiagnosticCatalog.GraphPermissionMissing.Code => ProbeOutcome.NotAuthorized,
            var c when c == DiagnosticCatalog.GraphMailboxMissing.Code || c == DiagnosticCatalog.FileMailboxNotFound.Code => ProbeOutcome.MailboxMissing,
            var c when c == DiagnosticCatalog.GraphMailboxNotEnabled.Code => ProbeOutcome.NoMailbox,
            var c when c == DiagnosticCatalog.ImapSecretUnavailable.Code || c == DiagnosticCatalog.GraphSecretUnavailable.Code
                || c == DiagnosticCatalog.SecretUnavailable.Code => ProbeOutcome.SecretMissing,
            var c when c == DiagnosticCatalog.ImapConnectionFailed.Code || c == DiagnosticCatalog.ImapTlsFailed.Code || c == DiagnosticCatalog.ImapHostNotFound.Code
                || c == DiagnosticCatalog.ImapPhaseTimeout.Code || c == DiagnosticCatalog.ImapConnectionLost.Code
                || c == DiagnosticCatalog.GraphConnectionFailed.Code => ProbeOutcome.Unreachable,
            _ => ProbeOutcome.Failed,
        };
    }

    /// <summary>
    /// RFC 5530's AUTHORIZATIONFAILED: the credentials were right, but they may not act as the requested user (an admin or
    /// master login for a user the server does not have, or does not let the admin open). Dovecot answers a master login
    /// for an unknown user with "[AUTHORIZATIONFAILED] Authorization failed", which MailKit passes on as the text alone.
    /// </summary>
    private static bool IsAuthorization(string message) =>
        message.Contains("AUTHORIZATIONFAILED", StringComparison.OrdinalIgnoreCase)
        || message.EndsWith(": Authorization failed", StringComparison.OrdinalIgnoreCase)
        || message.Contains("not authorized to", StringComparison.OrdinalIgnoreCase);
}

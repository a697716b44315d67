using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;
using MigrationEngine.Core.State;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>
/// Runs Exchange-native migrations (cutover, staged, hybrid, imap with engine: exchange) through Microsoft's migration service,
/// driven with the ExchangeOnlineManagement module in an in-process PowerShell runspace, and prepares PST Import Service jobs.
/// Every step reads first and changes only what differs, so apply can run any number of times.
/// </summary>
public sealed class ExchangeMigrationExecutor(ExchangeExecutorOptions? options = null) : INativeMigrationExecutor
{
    private static readonly string[] SettledBatchStatuses = ["Synced", "SyncedWithErrors", "Completed", "CompletedWithErrors", "Failed", "Stopped", "Removing"];
    private static readonly string[] CompletedBatchStatuses = ["Completed", "CompletedWithErrors", "Failed", "Stopped"];

    private readonly ExchangeExecutorOptions _options = options ?? ExchangeExecutorOptions.FromEnvironment();

    public async Task<IReadOnlyList<Diagnostic>> RunAsync(NativeMigrationContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<Diagnostic>();
        try
        {
            if (context.Migration.Type == "pst")
            {
                await new PstImportPreparer(_options).RunAsync(context, diagnostics, cancellationToken);
                return diagnostics;
            }

            var desired = ExchangePlanBuilder.Build(context.Plan, context.Migration, _options, diagnostics);
            if (desired is null)
            {
                return diagnostics;
            }

            using var session = new PowerShellSession(_options.ModulePath, context.Logger);
            if (!await session.IsModuleAvailableAsync(cancellationToken))
            {
                diagnostics.Add(DiagnosticCatalog.ExchangeModuleMissing.Create(context.Migration.Location,
                    "install it in pwsh with 'Install-Module ExchangeOnlineManagement -Scope CurrentUser' (or point MIGRATE_EXO_MODULE_PATH at the folder that holds it)",
                    context.Migration.Name, session.ModuleSearchPath));
                return diagnostics;
            }

            await session.ImportModuleAsync(cancellationToken);
            await ExchangeConnection.ConnectAsync(session, context.Plan, context.Migration, desired.Connection, cancellationToken);
            try
            {
                var run = new StepRunner(context, session, desired, _options, diagnostics);
                await run.RunAsync(cancellationToken);
            }
            finally
            {
                await DisconnectQuietlyAsync(session);
            }
        }
        catch (MigrationException ex)
        {
            diagnostics.Add(ex.Diagnostic);
        }
        catch (PowerShellCommandException ex)
        {
            diagnostics.Add(DiagnosticCatalog.ExchangeCommandFailed.Create(context.Migration.Location, null, ex.Command, $"migration {context.Migration.Name}", ex.Message));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Logger.Warning("Migration {Migration} interrupted; batches keep running in Exchange Online and the next apply follows them", context.Migration.Name);
        }

        return diagnostics;
    }

    private static async Task DisconnectQuietlyAsync(PowerShellSession session)
    {
        try
        {
            await session.InvokeAsync("Disconnect-ExchangeOnline", [("Confirm", false)], CancellationToken.None);
        }
        catch (PowerShellCommandException)
        {
            // The session ends with the runspace anyway.
        }
    }

    /// <summary>The steps of one migration, in graph order; a failed step stops the ones after it.</summary>
    private sealed class StepRunner(NativeMigrationContext context, PowerShellSession session, ExchangeDesiredState desired, ExchangeExecutorOptions options, List<Diagnostic> diagnostics)
    {
        private readonly MigrationDefinition _migration = context.Migration;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            foreach (var step in context.Steps)
            {
                var done = StepDecisions.IsDone(step, context.Records);
                bool ok;
                try
                {
                    ok = step.Kind switch
                    {
                        StepKind.EnsureEndpoint => await EnsureEndpointAsync(step, done, cancellationToken),
                        StepKind.EnsureBatch => await EnsureBatchAsync(step, desired.BatchFor(step), done, cancellationToken),
                        StepKind.StartBatch => await StartBatchAsync(step, desired.BatchFor(step), done, cancellationToken),
                        StepKind.CompleteBatch => done || await CompleteBatchAsync(step, desired.BatchFor(step), cancellationToken),
                        _ => true,
                    };
                }
                catch (PowerShellCommandException ex)
                {
                    var diagnostic = DiagnosticCatalog.ExchangeCommandFailed.Create(_migration.Location, null, ex.Command, step.Id, ex.Message);
                    diagnostics.Add(diagnostic);
                    await context.SaveStepAsync(step, StepStatus.Failed, diagnostic.Message, null);
                    ok = false;
                }
                catch (MigrationException ex)
                {
                    diagnostics.Add(ex.Diagnostic);
                    await context.SaveStepAsync(step, StepStatus.Failed, ex.Diagnostic.Message, null);
                    ok = false;
                }
                catch (SecretUnavailableException ex)
                {
                    var diagnostic = DiagnosticCatalog.ExchangeSecretUnavailable.Create(_migration.Location, "set the variable or create the file the plan refers to", _migration.Name, ex.Message);
                    diagnostics.Add(diagnostic);
                    await context.SaveStepAsync(step, StepStatus.Failed, diagnostic.Message, null);
                    ok = false;
                }

                if (!ok)
                {
                    return;
                }
            }
        }

        private async Task<PSObject?> GetAsync(string command, string identity, CancellationToken cancellationToken)
        {
            try
            {
                var found = await session.InvokeAsync(command, [("Identity", identity)], cancellationToken);
                return found.Count > 0 ? found[0] : null;
            }
            catch (PowerShellCommandException ex) when (ex.NotFound)
            {
                return null;
            }
        }

        private object? Resolve(PsValue value) => value switch
        {
            PsText text => text.Value,
            PsInt number => number.Value,
            PsSwitch flag => flag.Value,
            PsDate date => date.Value.UtcDateTime,
            PsList list => list.Values.ToArray(),
            PsCredential credential => new PSCredential(credential.UserName, PowerShellSession.Secure(Secret(credential.Password))),
            PsSecureSecret secret => PowerShellSession.Secure(Secret(secret.Secret)),
            PsCsv csv => CsvBytes(csv.Document),
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };

        private string Secret(SecretReference reference)
        {
            var value = reference.Resolve(context.Plan.PlanDirectory);
            session.RegisterSecret(value);
            return value;
        }

        /// <summary>
        /// The CSV goes through a file readable only by this user (Microsoft's documented way is -CSVData of the file's bytes), deleted
        /// right after: passwords in it never stay on disk.
        /// </summary>
        private byte[] CsvBytes(CsvDocument document)
        {
            var path = Path.Combine(Path.GetTempPath(), $"migrate-batch-{Guid.NewGuid():N}.csv");
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var stream = new FileStream(path, options))
                {
                    var bytes = new UTF8Encoding(false).GetBytes(document.Render(Secret));
                    stream.Write(bytes);
                }

                return File.ReadAllBytes(path);
            }
            finally
            {
                File.Delete(path);
            }
        }

        private List<(string, object?)> Parameters(IEnumerable<PsSetting> settings) => settings.Select(s => (s.Parameter, Resolve(s.Value))).ToList();

        private async Task<bool> EnsureEndpointAsync(Step step, bool done, CancellationToken cancellationToken)
        {
            var spec = desired.Endpoint;
            var existing = await GetAsync("Get-MigrationEndpoint", spec.Name, cancellationToken);
            if (existing is null)
            {
                await context.SaveStepAsync(step, StepStatus.Running, null, null);
                var test = await session.InvokeAsync("Test-MigrationServerAvailability", [(spec.KindSwitch, true), .. Parameters(spec.TestParameters)], cancellationToken);
                var result = test.Count > 0 ? Comparable.Of(test[0].Properties["Result"]?.Value) : "Success";
                if (!string.Equals(result, "Success", StringComparison.OrdinalIgnoreCase))
                {
                    var message = test.Count > 0 ? Comparable.Of(test[0].Properties["Message"]?.Value) : string.Empty;
                    throw new MigrationException(DiagnosticCatalog.ExchangeCommandFailed.Create(_migration.Location, "check the source's server, credentials and that Exchange Online can reach it",
                        "Test-MigrationServerAvailability", $"source '{_migration.From}'", session.Redact($"{result}: {message}")));
                }

                await session.InvokeAsync("New-MigrationEndpoint", [(spec.KindSwitch, true), ("Name", spec.Name), .. Parameters(spec.Settings)], cancellationToken);
                await SaveAsync(step, new { endpoint = spec.Name, type = spec.EndpointType, action = "created" });
                return true;
            }

            var type = Comparable.Of(existing.Properties["EndpointType"]?.Value);
            if (type.Length > 0 && !string.Equals(type, spec.EndpointType, StringComparison.OrdinalIgnoreCase))
            {
                throw new MigrationException(DiagnosticCatalog.ExchangeSettingImmutable.Create(_migration.Location, "remove the endpoint (Remove-MigrationEndpoint) or rename the source",
                    $"migration endpoint {spec.Name}", "EndpointType", type, spec.EndpointType, "endpoint"));
            }

            var changed = spec.Settings.Where(s => s.Settable && !Comparable.Same(s.Expected, existing.Properties[s.Property!]?.Value)).ToList();
            if (changed.Count == 0)
            {
                if (!done)
                {
                    await SaveAsync(step, new { endpoint = spec.Name, type = spec.EndpointType, action = "unchanged" });
                }

                return true;
            }

            await context.SaveStepAsync(step, StepStatus.Running, null, null);
            await session.InvokeAsync("Set-MigrationEndpoint", [("Identity", spec.Name), .. Parameters(changed)], cancellationToken);
            await SaveAsync(step, new { endpoint = spec.Name, type = spec.EndpointType, action = "updated", changed = changed.Select(c => c.Parameter) });
            return true;
        }

        private async Task<bool> EnsureBatchAsync(Step step, BatchSpec spec, bool done, CancellationToken cancellationToken)
        {
            var existing = await GetAsync("Get-MigrationBatch", spec.Name, cancellationToken);
            if (existing is null)
            {
                await context.SaveStepAsync(step, StepStatus.Running, null, null);
                var parameters = new List<(string, object?)> { ("Name", spec.Name) };
                parameters.AddRange(Parameters(spec.Settings));
                if (spec.Csv is not null)
                {
                    parameters.Add(("CSVData", CsvBytes(spec.Csv)));
                }

                if (spec.AutoStart)
                {
                    parameters.Add(("AutoStart", true));
                }

                await session.InvokeAsync("New-MigrationBatch", parameters, cancellationToken);
                await SaveAsync(step, new { batch = spec.Name, action = "created", users = spec.Users.Count, auto_start = spec.AutoStart });
                return true;
            }

            foreach (var setting in spec.Settings.Where(s => !s.Settable && s.Expected is not null))
            {
                var actual = existing.Properties[setting.Property!]?.Value;
                if (!Comparable.Same(setting.Expected, actual))
                {
                    throw new MigrationException(DiagnosticCatalog.ExchangeSettingImmutable.Create(_migration.Location,
                        "remove the batch (Remove-MigrationBatch) to create it again, or rename the migration",
                        $"migration batch {spec.Name}", setting.Parameter, Comparable.Of(actual), setting.Expected, "batch"));
                }
            }

            var changed = spec.Settings.Where(s => s.Settable && !Comparable.Same(s.Expected, existing.Properties[s.Property!]?.Value)).ToList();
            var added = new List<string>();
            if (spec.Csv is not null)
            {
                var present = (await session.InvokeAsync("Get-MigrationUser", [("BatchId", spec.Name)], cancellationToken))
                    .Select(u => Comparable.Of(u.Properties["Identity"]?.Value).ToLowerInvariant())
                    .ToHashSet(StringComparer.Ordinal);
                added = spec.Users.Where(u => !present.Contains(u)).ToList();
                var extra = present.Where(u => !spec.Users.Contains(u, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
                if (extra.Count > 0)
                {
                    diagnostics.Add(DiagnosticCatalog.ExchangeUsersNotRemoved.Create(_migration.Location, "remove them with Remove-MigrationUser if they should not migrate",
                        spec.Name, extra.Count, string.Join(", ", extra.Take(5)) + (extra.Count > 5 ? ", ..." : string.Empty)));
                }
            }

            if (changed.Count == 0 && added.Count == 0)
            {
                if (!done)
                {
                    await SaveAsync(step, new { batch = spec.Name, action = "unchanged", users = spec.Users.Count });
                }

                return true;
            }

            await context.SaveStepAsync(step, StepStatus.Running, null, null);
            if (changed.Count > 0)
            {
                await session.InvokeAsync("Set-MigrationBatch", [("Identity", spec.Name), .. Parameters(changed)], cancellationToken);
            }

            if (added.Count > 0)
            {
                var csv = spec.CsvFor(added.ToHashSet(StringComparer.Ordinal))!;
                await session.InvokeAsync("Set-MigrationBatch", [("Identity", spec.Name), ("CSVData", CsvBytes(csv)), ("AddUsers", true)], cancellationToken);
            }

            await SaveAsync(step, new { batch = spec.Name, action = "updated", changed = changed.Select(c => c.Parameter), added_users = added });
            return true;
        }

        private async Task<bool> StartBatchAsync(Step step, BatchSpec spec, bool done, CancellationToken cancellationToken)
        {
            var batch = await GetAsync("Get-MigrationBatch", spec.Name, cancellationToken)
                ?? throw new MigrationException(DiagnosticCatalog.ExchangeBatchFailed.Create(_migration.Location, "run apply again to create it", spec.Name, "missing", "the batch was removed"));
            var status = Comparable.Of(batch.Properties["Status"]?.Value);
            var failed = await session.InvokeAsync("Get-MigrationUser", [("BatchId", spec.Name), ("Status", "Failed")], cancellationToken);
            if (done && failed.Count == 0 && status is not ("Created" or "Stopped"))
            {
                return true;
            }

            await context.SaveStepAsync(step, StepStatus.Running, null, null);
            var retried = new List<string>();
            if (status is "Created" or "Stopped")
            {
                await session.InvokeAsync("Start-MigrationBatch", [("Identity", spec.Name)], cancellationToken);
            }
            else
            {
                foreach (var user in failed)
                {
                    var identity = Comparable.Of(user.Properties["Identity"]?.Value);
                    await session.InvokeAsync("Start-MigrationUser", [("Identity", identity)], cancellationToken);
                    retried.Add(identity);
                }
            }

            if (spec.StartAfter is { } startAfter && startAfter > DateTimeOffset.UtcNow + options.PollInterval)
            {
                await SaveAsync(step, new { batch = spec.Name, status = "scheduled", start_after = Comparable.Date(startAfter) }, StepStatus.Running);
                diagnostics.Add(DiagnosticCatalog.ExchangeStillRunning.Create(_migration.Location, DiagnosticSeverity.Info, null, spec.Name, "scheduled",
                    $"it starts at {Comparable.Date(startAfter)}; run apply again after that to follow it"));
                return false;
            }

            var (settled, final) = await WaitAsync(step, spec, SettledBatchStatuses, retried, cancellationToken);
            return await ConcludeAsync(step, spec, settled, final);
        }

        private async Task<bool> CompleteBatchAsync(Step step, BatchSpec spec, CancellationToken cancellationToken)
        {
            if (!spec.Complete && spec.CompleteAfter is null)
            {
                await SaveAsync(step, new { batch = spec.Name, action = "left-synced" });
                return true;
            }

            var batch = await GetAsync("Get-MigrationBatch", spec.Name, cancellationToken);
            var status = Comparable.Of(batch?.Properties["Status"]?.Value);
            if (CompletedBatchStatuses.Contains(status, StringComparer.OrdinalIgnoreCase))
            {
                await SaveAsync(step, new { batch = spec.Name, action = "already-completed", status });
                return status is not "Failed";
            }

            if (!spec.Complete && spec.CompleteAfter is { } after && after > DateTimeOffset.UtcNow)
            {
                // The service completes the batch at CompleteAfter on its own (the batch was created or updated with it).
                await SaveAsync(step, new { batch = spec.Name, action = "completes-at", complete_after = Comparable.Date(after), status });
                return true;
            }

            await context.SaveStepAsync(step, StepStatus.Running, null, null);
            if (!status.Equals("Completing", StringComparison.OrdinalIgnoreCase))
            {
                await session.InvokeAsync("Complete-MigrationBatch", [("Identity", spec.Name), ("Confirm", false)], cancellationToken);
            }

            var (settled, final) = await WaitAsync(step, spec, CompletedBatchStatuses, [], cancellationToken);
            return await ConcludeAsync(step, spec, settled, final);
        }

        private async Task<bool> ConcludeAsync(Step step, BatchSpec spec, bool settled, BatchProgress final)
        {
            if (!settled)
            {
                diagnostics.Add(DiagnosticCatalog.ExchangeStillRunning.Create(_migration.Location, null, spec.Name, final.Status, "run apply again to keep following it (it keeps running in Exchange Online)"));
                return false;
            }

            var failedUsers = final.Users.Where(u => u.Status.Equals("Failed", StringComparison.OrdinalIgnoreCase)).ToList();
            if (final.Status.Equals("Failed", StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Add(DiagnosticCatalog.ExchangeBatchFailed.Create(_migration.Location, "see Get-MigrationBatch -IncludeReport; run apply again to retry", spec.Name, final.Status, final.Message ?? "no reason given"));
                await context.SaveStepAsync(step, StepStatus.Failed, $"batch {spec.Name} failed", final.Json);
                return false;
            }

            if (failedUsers.Count > 0)
            {
                diagnostics.Add(DiagnosticCatalog.ExchangeUsersFailed.Create(_migration.Location, "run apply again to retry them (Start-MigrationUser)",
                    failedUsers.Count, final.Users.Count, spec.Name, string.Join("; ", failedUsers.Take(5).Select(u => $"{u.Identity}: {u.Error ?? "failed"}"))));
                await context.SaveStepAsync(step, StepStatus.Failed, $"{failedUsers.Count} user(s) failed", final.Json);
                return false;
            }

            await context.SaveStepAsync(step, StepStatus.Succeeded, null, final.Json);
            return true;
        }

        private async Task<(bool Settled, BatchProgress Progress)> WaitAsync(Step step, BatchSpec spec, string[] until, IReadOnlyList<string> retried, CancellationToken cancellationToken)
        {
            var started = DateTimeOffset.UtcNow;
            while (true)
            {
                var progress = await PollAsync(spec, retried, cancellationToken);
                var settled = until.Contains(progress.Status, StringComparer.OrdinalIgnoreCase)
                    && !progress.Users.Any(u => u.Status is "Syncing" or "Queued" or "Provisioning" or "Completing" or "Starting" or "Validating");
                if (settled)
                {
                    return (true, progress);
                }

                await context.SaveStepAsync(step, StepStatus.Running, null, progress.Json);
                if (options.MaxWait is { } limit && DateTimeOffset.UtcNow - started >= limit)
                {
                    return (false, progress);
                }

                await Task.Delay(options.PollInterval, cancellationToken);
            }
        }

        private async Task<BatchProgress> PollAsync(BatchSpec spec, IReadOnlyList<string> retried, CancellationToken cancellationToken)
        {
            var batch = await GetAsync("Get-MigrationBatch", spec.Name, cancellationToken);
            var status = Comparable.Of(batch?.Properties["Status"]?.Value);
            var message = batch?.Properties["Message"]?.Value is { } text ? Comparable.Of(text) : null;
            var users = new List<UserProgress>();
            foreach (var user in await session.InvokeAsync("Get-MigrationUser", [("BatchId", spec.Name)], cancellationToken))
            {
                var identity = Comparable.Of(user.Properties["Identity"]?.Value);
                var statistics = (await session.InvokeAsync("Get-MigrationUserStatistics", [("Identity", identity)], cancellationToken)).FirstOrDefault();
                users.Add(new UserProgress(
                    identity,
                    Comparable.Of(statistics?.Properties["Status"]?.Value ?? user.Properties["Status"]?.Value),
                    Number(statistics?.Properties["SyncedItemCount"]?.Value),
                    Number(statistics?.Properties["SkippedItemCount"]?.Value),
                    statistics?.Properties["Error"]?.Value is { } error && Comparable.Of(error) is { Length: > 0 } errorText ? session.Redact(errorText) : null));
            }

            var json = JsonSerializer.Serialize(new
            {
                batch = spec.Name,
                status,
                message,
                polled_at = Comparable.Date(DateTimeOffset.UtcNow),
                retried_users = retried,
                users = users.Select(u => new { identity = u.Identity, status = u.Status, items_synced = u.Synced, items_skipped = u.Skipped, error = u.Error }),
            });
            return new BatchProgress(status, message, users, json);
        }

        private static long Number(object? value) =>
            long.TryParse(Comparable.Of(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 0;

        private Task SaveAsync(Step step, object result, StepStatus status = StepStatus.Succeeded) =>
            context.SaveStepAsync(step, status, null, JsonSerializer.Serialize(result));
    }

    private sealed record UserProgress(string Identity, string Status, long Synced, long Skipped, string? Error);

    private sealed record BatchProgress(string Status, string? Message, IReadOnlyList<UserProgress> Users, string Json);
}

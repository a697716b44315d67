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

/// <summary>The steps of one Exchange-native migration, in graph order; a failed step stops the ones after it.</summary>
internal sealed partial class StepRunner(
    NativeMigrationContext context, PowerShellSession session, ExchangeDesiredState desired, ExchangeExecutorOptions options, IMailboxLicensing? licensing, List<Diagnostic> diagnostics)
{
    /// <summary>"the maximum size of the CSV file is 10 MB" https://learn.microsoft.com/exchange/mailbox-migration/csv-files-for-migration</summary>
    private const int MaxCsvBytes = 10 * 1024 * 1024;

    private readonly MigrationDefinition _migration = context.Migration;

    /// <summary>Batches that Exchange Online removed after they completed: their later steps report completion instead of acting.</summary>
    private readonly HashSet<string> _removedAfterCompletion = new(StringComparer.Ordinal);

    /// <summary>Batches created in this apply (also again, after the service removed them): their later steps run whatever state says.</summary>
    private readonly HashSet<string> _createdNow = new(StringComparer.Ordinal);

    /// <summary>How long this apply follows one batch: the plan's exchange.maxWaitMinutes, else the executor's bound.</summary>
    private TimeSpan MaxWait => _migration.Exchange.MaxWait ?? options.MaxWait;

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
                    StepKind.CompleteBatch => await CompleteBatchAsync(step, desired.BatchFor(step), done, cancellationToken),
                    _ => true,
                };
            }
            catch (PowerShellCommandException ex)
            {
                ok = await FailAsync(step, Diagnose.ExchangeCommandFailed(_migration.Location, ex.Command, step.Id, ex.Message));
            }
            catch (MigrationException ex)
            {
                ok = await FailAsync(step, ex.Diagnostic);
            }
            catch (SecretUnavailableException ex)
            {
                ok = await FailAsync(step, Diagnose.ExchangeSecretUnavailable(_migration.Location, _migration.Name, ex.Message,
                    hint: "set the variable or create the file the plan refers to"));
            }

            if (!ok)
            {
                return;
            }
        }
    }

    private async Task<bool> FailAsync(Step step, Diagnostic diagnostic)
    {
        diagnostics.Add(diagnostic);
        await context.SaveStepAsync(step, StepStatus.Failed, diagnostic.Message, null);
        return false;
    }

    private Task<PSObject?> GetAsync(string command, string identity, CancellationToken cancellationToken) => session.GetOneAsync(command, identity, cancellationToken);

    private Task<IReadOnlyList<PSObject>> UsersOfAsync(string batch, CancellationToken cancellationToken) => session.MigrationUsersAsync(batch, cancellationToken);

    private static string Text(PSObject? item, string property) => Comparable.Of(item?.Properties[property]?.Value);

    private object? Resolve(PsValue value) => value switch
    {
        PsText text => text.Value,
        PsInt number => number.Value,
        PsSwitch flag => flag.Value,
        PsDate date => date.Value.UtcDateTime,
        PsList list => list.Values.ToArray(),
        PsCredential credential => new PSCredential(credential.UserName, PowerShellSession.Secure(Secret(credential.Password))),
        PsSecureSecret secret => PowerShellSession.Secure(Secret(secret.Secret)),
        PsSecretBytes bytes => Encoding.UTF8.GetBytes(Secret(bytes.Secret)),
        PsCsv csv => CsvBytes(csv.Document, "batch"),
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
    private byte[] CsvBytes(CsvDocument document, string batch)
    {
        var path = Path.Combine(Path.GetTempPath(), $"migrate-batch-{Guid.NewGuid():N}.csv");
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, fileOptions))
            {
                var bytes = new UTF8Encoding(false).GetBytes(document.Render(Secret));
                if (bytes.Length > MaxCsvBytes)
                {
                    throw new MigrationException(Diagnose.ExchangeCsvTooLarge(_migration.Location, batch, bytes.Length,
                        hint: "split the mailbox set into several migrations"));
                }

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

    private Task SaveAsync(Step step, object result, StepStatus status = StepStatus.Succeeded) =>
        context.SaveStepAsync(step, status, null, JsonSerializer.Serialize(result));

    private async Task<bool> EnsureEndpointAsync(Step step, bool done, CancellationToken cancellationToken)
    {
        var spec = desired.Endpoint;
        var existing = await GetAsync("Get-MigrationEndpoint", spec.Name, cancellationToken);
        if (existing is null)
        {
            await context.SaveStepAsync(step, StepStatus.Running, null, null);
            var test = await session.InvokeAsync("Test-MigrationServerAvailability", [(spec.KindSwitch, true), .. Parameters(spec.TestParameters)], cancellationToken);
            var result = test.Count > 0 ? Text(test[0], "Result") : "Success";
            if (!string.Equals(result, "Success", StringComparison.OrdinalIgnoreCase))
            {
                var message = test.Count > 0 ? Text(test[0], "Message") : string.Empty;
                throw new MigrationException(Diagnose.ExchangeCommandFailed(_migration.Location,
                    "Test-MigrationServerAvailability", $"source '{_migration.From}'", session.Redact($"{result}: {message}"),
                        hint: "check the source's server, credentials and that Exchange Online can reach it"));
            }

            await session.InvokeAsync("New-MigrationEndpoint", [(spec.KindSwitch, true), ("Name", spec.Name), .. Parameters(spec.Settings)], cancellationToken);
            await SaveAsync(step, new { endpoint = spec.Name, type = spec.EndpointType, action = "created" });
            return true;
        }

        var type = Text(existing, "EndpointType");
        if (type.Length > 0 && !string.Equals(type, spec.EndpointType, StringComparison.OrdinalIgnoreCase))
        {
            throw new MigrationException(Diagnose.ExchangeSettingImmutable(_migration.Location,
                $"migration endpoint {spec.Name}", "EndpointType", type, spec.EndpointType, "endpoint",
                    hint: "remove the endpoint (Remove-MigrationEndpoint) or rename the source"));
        }

        // Only settings the plan states are compared: concurrency limits tuned in the admin center stay unless the plan names them.
        var changed = ServiceDecisions.Changed(spec.Settings, existing);
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
}

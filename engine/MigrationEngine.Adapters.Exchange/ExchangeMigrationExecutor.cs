using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Planning;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>
/// Runs Exchange-native migrations (cutover, staged, hybrid, gworkspace, imap with engine: exchange) through Microsoft's migration service,
/// driven with the ExchangeOnlineManagement module in an in-process PowerShell runspace, and prepares PST Import Service jobs.
/// Every step reads first and changes only what differs, so apply can run any number of times.
/// </summary>
/// <param name="options">How to reach Exchange Online and how long to follow a batch (null: from the environment).</param>
/// <param name="licensing">Licenses the mailboxes cutover, staged and Google Workspace batches create (the Graph target; null: not licensed).</param>
public sealed class ExchangeMigrationExecutor(ExchangeExecutorOptions? options = null, IMailboxLicensing? licensing = null) : INativeMigrationExecutor, INativeMigrationRefresh
{
    private readonly ExchangeExecutorOptions _options = options ?? ExchangeExecutorOptions.FromEnvironment();

    public async Task<IReadOnlyList<Diagnostic>> RunAsync(NativeMigrationContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<Diagnostic>();
        try
        {
            if (context.Migration.Type == MigrationType.Pst)
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
                diagnostics.Add(Diagnose.ExchangeModuleMissing(context.Migration.Location,
                    context.Migration.Name, session.ModuleSearchPath,
                        hint: "install it in pwsh with 'Install-Module ExchangeOnlineManagement -Scope CurrentUser' (or point MIGRATE_EXO_MODULE_PATH at the folder that holds it)"));
                return diagnostics;
            }

            await session.ImportModuleAsync(cancellationToken);
            await ExchangeConnection.ConnectAsync(session, context.Plan, context.Migration, desired.Connection, cancellationToken);
            try
            {
                var run = new StepRunner(context, session, desired, _options, licensing, diagnostics);
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
            diagnostics.Add(Diagnose.ExchangeCommandFailed(context.Migration.Location, ex.Command, $"migration {context.Migration.Name}", ex.Message));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Logger.Warning("Migration {Migration} interrupted; batches keep running in Exchange Online and the next apply follows them", context.Migration.Name);
        }

        return diagnostics;
    }

    /// <summary>
    /// plan's refresh: connects as apply does and reads the endpoint, batches and users (Get- cmdlets only). Without the module or the
    /// credentials, or when the service cannot be reached, the migration is "not refreshed" with the reason, never an error of plan.
    /// </summary>
    public async Task<NativeRefresh> RefreshAsync(NativeRefreshContext context, CancellationToken cancellationToken)
    {
        var migration = context.Migration.Name;
        if (context.Migration.Type == MigrationType.Pst)
        {
            return NativeRefresh.NotRefreshed(migration, "PST Import Service jobs are created in the Microsoft Purview portal: not refreshed");
        }

        var diagnostics = new List<Diagnostic>();
        var desired = ExchangePlanBuilder.Build(context.Plan, context.Migration, _options, diagnostics);
        if (desired is null)
        {
            return NativeRefresh.NotRefreshed(migration, diagnostics.FirstOrDefault(d => d.IsError)?.Message ?? "the migration cannot be expressed as migration batches");
        }

        try
        {
            using var session = new PowerShellSession(_options.ModulePath, context.Logger);
            if (!await session.IsModuleAvailableAsync(cancellationToken))
            {
                return NativeRefresh.NotRefreshed(migration, $"the {PowerShellSession.ModuleName} module is not installed");
            }

            await session.ImportModuleAsync(cancellationToken);
            await ExchangeConnection.ConnectAsync(session, context.Plan, context.Migration, desired.Connection, cancellationToken);
            try
            {
                return await new ExchangeServiceRefresh(context, session, desired).RunAsync(cancellationToken);
            }
            finally
            {
                await DisconnectQuietlyAsync(session);
            }
        }
        catch (MigrationException ex)
        {
            return NativeRefresh.NotRefreshed(migration, ex.Diagnostic.Message);
        }
        catch (PowerShellCommandException ex)
        {
            return NativeRefresh.NotRefreshed(migration, $"{ex.Command} failed: {ex.Message}");
        }
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
}

using MigrationEngine.Core;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Execution;
using MigrationEngine.State.Sqlite;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// The real executor (scheduler, mailbox runner, FolderCopier, verifier, retry policy) copying one Dovecot mailbox into
/// another in this process, with its own state in the folder it is given: adapter tests exercise the adapters as apply
/// drives them, not through a copy loop of their own.
/// </summary>
public static class EngineCopy
{
    public static async Task<RunSummary> RunAsync(DovecotFixture dovecot, TestUser from, TestUser to, string folder, int? targetPort = null, int? bothPort = null,
        string migrationExtra = "", Func<MailKit.IProtocolLogger>? sourceTrace = null, Func<MailKit.IProtocolLogger>? targetTrace = null, string endpointExtra = "")
    {
        var planFile = await PlanEndToEndTests.WriteMasterUserPlanAsync(folder, "adapter-copy", "copy", bothPort ?? dovecot.PlainPort, from.Address, to.Address,
            sourceExtra: endpointExtra, migrationExtra: migrationExtra, targetExtra: endpointExtra);
        if (targetPort is { } port)
        {
            // The target side only (a proxy in front of it): the second port line of the plan is the target's.
            var text = await File.ReadAllTextAsync(planFile);
            var targets = text.IndexOf("targets:", StringComparison.Ordinal);
            var portLine = $"port: {bothPort ?? dovecot.PlainPort}";
            var at = text.IndexOf(portLine, targets, StringComparison.Ordinal);
            await File.WriteAllTextAsync(planFile, string.Concat(text.AsSpan(0, at), $"port: {port}", text.AsSpan(at + portLine.Length)));
        }

        var loaded = PlanPipeline.Load(planFile);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        var plan = loaded.Plan!;
        await using var store = await SqliteStateStore.OpenAsync(Path.Combine(folder, "state.db"), CancellationToken.None);
        var executor = new Executor(store, new AdapterRegistry().Add(new ImapSourceFactory { Trace = sourceTrace }).Add(new ImapTargetFactory { Trace = targetTrace }), Serilog.Core.Logger.None);
        return await executor.ApplyAsync(plan, PlanCompiler.Compile(plan), new ExecutionOptions(), CancellationToken.None);
    }
}

using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;
using Serilog;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>A cmdlet that failed: the message is PowerShell's error text with every known secret blanked out.</summary>
internal sealed class PowerShellCommandException(string command, string message, bool notFound) : Exception(message)
{
    public string Command { get; } = command;

    /// <summary>The object asked for does not exist (Get- of a missing endpoint or batch).</summary>
    public bool NotFound { get; } = notFound;
}

/// <summary>
/// An in-process PowerShell runspace (the PowerShell SDK) that runs the ExchangeOnlineManagement cmdlets with typed parameters:
/// values are bound, never spliced into script text, so nothing in a plan can inject commands.
/// </summary>
internal sealed class PowerShellSession : IDisposable
{
    public const string ModuleName = "ExchangeOnlineManagement";

    private readonly Runspace _runspace;
    private readonly ILogger _logger;
    private readonly List<string> _secrets = [];

    public PowerShellSession(string? modulePath, ILogger logger)
    {
        _logger = logger;
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        if (modulePath is not null)
        {
            // PSModulePath is process-wide in PowerShell; prepend once so module discovery finds the configured folder first.
            var current = Environment.GetEnvironmentVariable("PSModulePath") ?? string.Empty;
            var full = Path.GetFullPath(modulePath);
            if (!current.Split(Path.PathSeparator).Contains(full, StringComparer.Ordinal))
            {
                Environment.SetEnvironmentVariable("PSModulePath", full + Path.PathSeparator + current);
            }
        }
    }

    /// <summary>Values that must never reach a log or a diagnostic: blanked in every error message.</summary>
    public void RegisterSecret(string value)
    {
        if (value.Length >= 3)
        {
            _secrets.Add(value);
        }
    }

    public string ModuleSearchPath => Environment.GetEnvironmentVariable("PSModulePath") ?? string.Empty;

    public async Task<bool> IsModuleAvailableAsync(CancellationToken cancellationToken)
    {
        var found = await InvokeRawAsync("Get-Module", [("ListAvailable", true), ("Name", ModuleName)], cancellationToken);
        return found.Count > 0;
    }

    public Task ImportModuleAsync(CancellationToken cancellationToken) =>
        InvokeRawAsync("Import-Module", [("Name", ModuleName), ("ErrorAction", "Stop")], cancellationToken);

    /// <summary>Runs a cmdlet. Parameters with value <c>true</c> (bool) are passed as switches.</summary>
    public async Task<IReadOnlyList<PSObject>> InvokeAsync(string command, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        _logger.Information("Exchange Online: {Command} {Parameters}", command, string.Join(' ', parameters.Select(p => "-" + p.Name + (p.Name == "AccessToken" ? " (hidden)" : Describe(p.Value)))));
        return await InvokeRawAsync(command, parameters, cancellationToken);
    }

    private async Task<IReadOnlyList<PSObject>> InvokeRawAsync(string command, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        using var shell = PowerShell.Create(_runspace);
        shell.AddCommand(command);
        foreach (var (name, value) in parameters)
        {
            if (value is true)
            {
                shell.AddParameter(name);
            }
            else
            {
                shell.AddParameter(name, value);
            }
        }

        await using var stop = cancellationToken.Register(() => shell.BeginStop(null, null));
        PSDataCollection<PSObject> output;
        try
        {
            output = await shell.InvokeAsync();
        }
        catch (PipelineStoppedException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RuntimeException ex)
        {
            throw Failure(command, ex.ErrorRecord, ex.Message);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (shell.Streams.Error.Count > 0)
        {
            var first = shell.Streams.Error[0];
            throw Failure(command, first, first.ToString());
        }

        return output.Where(o => o is not null).ToList();
    }

    /// <summary>The object a Get- cmdlet finds by identity, or null when the service does not have it.</summary>
    public async Task<PSObject?> GetOneAsync(string command, string identity, CancellationToken cancellationToken)
    {
        try
        {
            var found = await InvokeAsync(command, [("Identity", identity)], cancellationToken);
            return found.Count > 0 ? found[0] : null;
        }
        catch (PowerShellCommandException ex) when (ex.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Every user of a batch. Get-MigrationUser returns 1,000 results unless told otherwise ("The default value is 1000"), and staged batches
    /// hold up to 2,000 users, IMAP batches 50,000: always -ResultSize Unlimited.
    /// https://learn.microsoft.com/powershell/module/exchangepowershell/get-migrationuser
    /// </summary>
    public Task<IReadOnlyList<PSObject>> MigrationUsersAsync(string batch, CancellationToken cancellationToken) =>
        InvokeAsync("Get-MigrationUser", [("BatchId", batch), ("ResultSize", "Unlimited")], cancellationToken);

    private PowerShellCommandException Failure(string command, ErrorRecord? record, string message)
    {
        var notFound = record is not null && (record.CategoryInfo.Category == ErrorCategory.ObjectNotFound
            || record.FullyQualifiedErrorId.Contains("ManagementObjectNotFoundException", StringComparison.Ordinal)
            || message.Contains("couldn't be found", StringComparison.OrdinalIgnoreCase)
            || message.Contains("couldn't find", StringComparison.OrdinalIgnoreCase));
        return new PowerShellCommandException(command, Redact(message.ReplaceLineEndings(" ").Trim()), notFound);
    }

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private static string Describe(object? value) => value switch
    {
        true => string.Empty,
        null => " $null",
        PSCredential credential => $" (credential of {credential.UserName})",
        SecureString => " (secure string)",
        byte[] bytes => $" ({bytes.Length} bytes)",
        string text => " '" + text + "'",
        IEnumerable items => " @(" + string.Join(", ", items.Cast<object?>().Select(i => "'" + i + "'")) + ")",
        IFormattable formattable => " " + formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => " (" + value.GetType().Name + ")",
    };

    public static SecureString Secure(string value) => new NetworkCredential(string.Empty, value).SecurePassword;

    public void Dispose() => _runspace.Dispose();
}


namespace MigrationEngine.Core.State;

/// <summary>Who this process is, as a lease holder: host, pid and the process's start time.</summary>
public sealed record LeaseIdentity(string Host, int ProcessId, string? ProcessStart, string Command)
{
    public static LeaseIdentity Current(string command) =>
        new(Environment.MachineName, ProcessIdentity.CurrentProcessId, ProcessIdentity.CurrentStartMarker, command);
}

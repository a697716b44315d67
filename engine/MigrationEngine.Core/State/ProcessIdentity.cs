using System.Diagnostics;
using System.Globalization;

namespace MigrationEngine.Core.State;

/// <summary>
/// Identifies a process by its pid and its start time, so that a lock left by a dead process is recognised even when
/// the pid has been reused by another process since.
/// </summary>
public static class ProcessIdentity
{
    /// <summary>The process exists but its start time cannot be read: it counts as alive.</summary>
    public const string UnknownStart = "unknown";

    private static readonly Lazy<string?> CurrentMarker = new(() => GetStartMarker(Environment.ProcessId));

    public static int CurrentProcessId => Environment.ProcessId;

    public static string? CurrentStartMarker => CurrentMarker.Value;

    /// <summary>An opaque start time for a running process, or null when no such live process exists.</summary>
    public static string? GetStartMarker(int processId)
    {
        if (processId <= 0)
        {
            return null;
        }

        return OperatingSystem.IsLinux() ? GetLinuxStartMarker(processId) : GetPortableStartMarker(processId);
    }

    /// <summary>True when the process that wrote <paramref name="recordedMarker"/> for <paramref name="processId"/> still runs.</summary>
    public static bool IsAlive(int processId, string? recordedMarker)
    {
        var current = GetStartMarker(processId);
        if (current is null)
        {
            return false;
        }

        // Without a start time on either side a reused pid cannot be told apart: assume the owner lives (safe side).
        return recordedMarker is null || current == UnknownStart || string.Equals(current, recordedMarker, StringComparison.Ordinal);
    }

    private static string? GetLinuxStartMarker(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // FileNotFound/DirectoryNotFound (both IOException) mean the process is gone.
            return ex is UnauthorizedAccessException ? UnknownStart : null;
        }

        // Format: "pid (comm) state ppid ... starttime ...": comm may contain spaces and parentheses, so split after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
        {
            return null;
        }

        var fields = stat[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); starttime is field 22, clock ticks since boot.
        if (fields.Length < 20)
        {
            return null;
        }

        // A zombie has exited; it only waits for its parent to collect it.
        if (fields[0] is "Z" or "X")
        {
            return null;
        }

        return "linux:" + fields[19];
    }

    private static string? GetPortableStartMarker(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            if (process.HasExited)
            {
                return null;
            }

            // Whole seconds: the platform value can wobble below that between two reads.
            var seconds = process.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond;
            return "start:" + seconds.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }
}

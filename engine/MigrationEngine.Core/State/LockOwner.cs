namespace MigrationEngine.Core.State;

/// <summary>Who holds a plan's lock; <see cref="Damaged"/> says why a lock row could not be read (unlock removes it).</summary>
public sealed record LockOwner(string Host, int ProcessId, DateTimeOffset Since, string? Command = null, string? Damaged = null)
{
    public override string ToString() => Damaged is not null
        ? $"a damaged lock row ({Damaged})"
        : $"{Host} pid {ProcessId} since {Since:u}" + (Command is null ? string.Empty : $" ({Command})");
}

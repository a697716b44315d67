
namespace MigrationEngine.Core.State;

/// <summary>
/// One holding of a mailbox's lease: which token, who, from when, and until when. For a holding taken over,
/// <see cref="EndedAt"/> is the earlier of its expiry and the takeover: no holder can write after it (the token fences it).
/// </summary>
public sealed record LeaseHistoryEntry(string Migration, string Mailbox, long Token, string Host, int ProcessId, DateTimeOffset AcquiredAt, DateTimeOffset? EndedAt, LeaseEnd End);

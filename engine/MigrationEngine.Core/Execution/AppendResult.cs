
namespace MigrationEngine.Core.Execution;

/// <summary>
/// Outcome of appending one message: a target id, or the server's answer when it refused the item. <see cref="Warning"/>:
/// the message was stored but something about it did not arrive (e.g. its read/flag state), reported per message.
/// </summary>
public sealed record AppendResult(string? TargetId, string? RejectionReason = null, string? Warning = null)
{
    public bool Rejected => RejectionReason is not null;

    public static AppendResult Ok(string? targetId) => new(targetId);

    public static AppendResult Reject(string reason) => new(null, reason);
}

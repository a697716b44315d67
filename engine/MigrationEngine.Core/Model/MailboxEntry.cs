using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Model;

/// <summary>One mailbox to migrate. Addresses are as written (trimmed); comparisons are case-insensitive.</summary>
public sealed record MailboxEntry
{
    public required string SourceAddress { get; init; }
    public required string TargetAddress { get; init; }
    /// <summary>Source-side login; may be an admin form such as <c>Domain/Admin/User</c> or <c>user*admin</c>.</summary>
    public string? Username { get; init; }
    public AdminCredentialForm AdminForm { get; init; }
    public SecretReference? Password { get; init; }
    public string? UserRoot { get; init; }
    public bool? ForceChangePassword { get; init; }
    /// <summary>Where the entry was written: the plan (line of the list item) or the CSV (row, column 1).</summary>
    public required SourceLocation Location { get; init; }
}

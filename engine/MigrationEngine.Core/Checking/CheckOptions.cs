
namespace MigrationEngine.Core.Checking;

/// <summary>What to check: one mailbox, a sample, or all; and how long one side may take.</summary>
public sealed record CheckOptions
{
    /// <summary>Only the mailbox with this source or target address (case-insensitive).</summary>
    public string? Mailbox { get; init; }

    /// <summary>At most this many mailboxes per migration, spread evenly over its list.</summary>
    public int? Sample { get; init; }

    /// <summary>How long one side of one mailbox may take in all (connect, TLS, login, lookups).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}

using System.Globalization;

namespace MigrationEngine.Core.Planning;

/// <summary>The refresh of every mailbox of the plan: per mailbox, and totals.</summary>
public sealed record RefreshResult(IReadOnlyList<MailboxRefresh> Mailboxes)
{
    /// <summary>Exchange-native migrations as the service showed them (steps and users), or why they were not refreshed.</summary>
    public IReadOnlyList<NativeRefresh> Native { get; init; } = [];

    public long PendingMessages => Mailboxes.Sum(m => m.PendingMessages);

    public long Vanished => Mailboxes.Sum(m => m.Vanished);

    public bool HasPending => Mailboxes.Any(m => m.HasPending);

    public int Count(RefreshState state) => Mailboxes.Count(m => m.State == state);

    public string TotalLine => string.Create(CultureInfo.InvariantCulture,
        $"Refresh: {Count(RefreshState.Refreshed)} mailboxes read: {PendingMessages:N0} new messages, {Mailboxes.Count(m => m.FlagChanges)} with flag changes; {Count(RefreshState.NotRefreshed) + Count(RefreshState.Failed)} not refreshed{(Vanished > 0 ? $"; {Vanished:N0} copied before are no longer in the sources (kept in the targets)" : string.Empty)}.");
}

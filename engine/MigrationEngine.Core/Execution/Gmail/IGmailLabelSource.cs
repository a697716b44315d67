
namespace MigrationEngine.Core.Execution.Gmail;

/// <summary>
/// A source that reads Gmail's labels in one pass over All Mail (IMAP X-GM-EXT-1: X-GM-LABELS and X-GM-MSGID), so that the
/// model comes from one listing instead of one per label folder.
/// </summary>
public interface IGmailLabelSource
{
    /// <summary>True when the server announced X-GM-EXT-1.</summary>
    bool HasGmailLabels { get; }

    /// <summary>All Mail's messages, each with its labels as Gmail names them (<c>\Inbox</c>, <c>\Sent</c>, <c>Work</c>).</summary>
    IAsyncEnumerable<(SourceMessage Summary, IReadOnlyList<string> Labels)> ListWithLabelsAsync(SourceFolder allMail, string? afterSourceId, CancellationToken cancellationToken);
}

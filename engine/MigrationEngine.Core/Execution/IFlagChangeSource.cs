
namespace MigrationEngine.Core.Execution;

/// <summary>
/// A source that lists only the messages whose flags changed since a cursor's HIGHESTMODSEQ (IMAP CONDSTORE), so that a
/// delta pass with syncFlags reads the changes instead of every message's flags.
/// </summary>
public interface IFlagChangeSource
{
    IAsyncEnumerable<FlagChange> ListFlagChangesAsync(SourceFolder folder, ulong sinceModSeq, CancellationToken cancellationToken);
}

namespace MigrationEngine.Core.Execution;

/// <summary>
/// A target that lists, with each message's dedup key, the size and internal date it holds (IMAP RFC822.SIZE and INTERNALDATE,
/// a Maildir file's length and time). Targets keep the internal date a message was appended with, so two different messages
/// that share a dedup key are not taken for one (the way the Gmail model tells messages apart: key, size and date together).
/// </summary>
public interface IFingerprintTarget
{
    Task<IReadOnlyList<TargetMessage>> ListMessageFingerprintsAsync(TargetFolder folder, CancellationToken cancellationToken);
}

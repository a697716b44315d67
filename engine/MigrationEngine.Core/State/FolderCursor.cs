namespace MigrationEngine.Core.State;

/// <summary>Where a delta pass resumes: IMAP UIDNEXT / HIGHESTMODSEQ of the source folder after the last pass.</summary>
public sealed record FolderCursor(long UidValidity, long UidNext, ulong? HighestModSeq);


namespace MigrationEngine.Core.Execution;

/// <summary>
/// A source whose <see cref="IMailSource.FetchAsync"/> reads any message a listing of the mailbox returned, on any
/// instance opened for the mailbox, without a listing of its own (IMAP: a UID FETCH on its own connection). A large folder
/// of such a source is copied in ranges on several connection pairs at once.
/// </summary>
public interface IRangeFetchSource;


namespace MigrationEngine.Core.Model;

/// <summary>Which mailboxes of a user a remote move (hybrid) migrates: the migration CSV's <c>MailboxType</c> column.</summary>
public enum MailboxScope
{
    PrimaryAndArchive,
    PrimaryOnly,
    ArchiveOnly,
}


namespace MigrationEngine.Core.Execution;

/// <summary>The role of a folder, from IMAP SPECIAL-USE (RFC 6154), a preset's names, or a file layout.</summary>
public enum SpecialUse
{
    None,
    Inbox,
    Sent,
    Drafts,
    Trash,
    Junk,
    Archive,
    All,
    Flagged,
    Important,
}


namespace MigrationEngine.Core.Execution.Gmail;

/// <summary>What a folder of Gmail's IMAP view is to the model: a label that places mail, or a view of all mail.</summary>
public enum GmailFolderRole
{
    Inbox,
    Sent,
    Drafts,
    /// <summary>A user label (Work, Work/Projects).</summary>
    Label,
    /// <summary>[Gmail]/All Mail (\All): every message except Spam and Trash, the archived ones only here.</summary>
    AllMail,
    /// <summary>[Gmail]/Starred (\Flagged): a flag, not a place.</summary>
    Starred,
    /// <summary>[Gmail]/Important (\Important): a marker, not a place.</summary>
    Important,
    /// <summary>Spam and Trash hold messages that are not in All Mail; copied as they are.</summary>
    Spam,
    Trash,
}

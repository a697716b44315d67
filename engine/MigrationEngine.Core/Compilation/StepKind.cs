namespace MigrationEngine.Core.Compilation;

public enum StepKind
{
    PreflightSource,
    PreflightTarget,
    EnsureFolders,
    /// <summary>Copies every folder of a mailbox; expands at run time into one recorded step per folder.</summary>
    CopyFolders,
    Verify,
    EnsureEndpoint,
    EnsureBatch,
    StartBatch,
    CompleteBatch,
    /// <summary>Copies a mailbox's address books (the plan's <c>items: [contacts]</c>).</summary>
    CopyContacts,
    /// <summary>Copies a mailbox's calendars (the plan's <c>items: [calendar]</c>).</summary>
    CopyCalendar,
    /// <summary>Joins a migration's last steps so that dependent migrations wait on one node, not on every mailbox.</summary>
    MigrationDone,
}

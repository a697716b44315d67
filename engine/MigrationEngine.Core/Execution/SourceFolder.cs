
namespace MigrationEngine.Core.Execution;

/// <summary>
/// A mail folder. <see cref="Path"/> is the decoded (Unicode) name with '/' between levels, whatever the
/// server's own delimiter; a '/' inside one level's name is written as U+2215 (division slash).
/// </summary>
public sealed record SourceFolder(string Path, SpecialUse SpecialUse = SpecialUse.None)
{
    /// <summary>The adapter's own name for it (IMAP full name, file path, Graph folder id), opaque to the core.</summary>
    public string? NativeName { get; init; }

    /// <summary>IMAP UIDVALIDITY or a file's identity; a change means source ids of this folder were renumbered.</summary>
    public long? UidValidity { get; init; }

    /// <summary>Message count when the source knows it cheaply.</summary>
    public int? MessageCount { get; init; }

    /// <summary>
    /// Where the folder stands (IMAP UIDVALIDITY, UIDNEXT and, with CONDSTORE, HIGHESTMODSEQ) when the source reads it
    /// cheaply. A delta pass skips a folder whose cursor is the one saved after its last copy: nothing arrived since.
    /// </summary>
    public State.FolderCursor? Cursor { get; init; }
}

namespace MigrationEngine.Core.State;

/// <summary>A folder cursor with its key.</summary>
public sealed record CursorRow(string Migration, string Mailbox, string Folder, FolderCursor Cursor);

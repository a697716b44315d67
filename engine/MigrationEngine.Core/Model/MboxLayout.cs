namespace MigrationEngine.Core.Model;

/// <summary>An mbox source's <c>layout</c>.</summary>
public enum MboxLayout
{
    /// <summary>One .mbox file per folder (the default).</summary>
    Folders,
    /// <summary>A Google Takeout export: labels give the folders; contacts and calendars lie beside it.</summary>
    Takeout,
}

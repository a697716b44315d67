namespace MigrationEngine.Core.Model;

/// <summary>A migration's <c>type</c>.</summary>
public enum MigrationType
{
    /// <summary>A value the schema refused; it only exists in a plan with errors, which yields no model.</summary>
    Unknown,
    Imap,
    Cutover,
    Staged,
    Hybrid,
    Gworkspace,
    Pst,
    Import,
}

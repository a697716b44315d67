namespace MigrationEngine.Core.Model;

/// <summary>A pst source's <c>engine</c>.</summary>
public enum PstEngine
{
    /// <summary>This engine reads the file with readpst (the default).</summary>
    Readpst,
    /// <summary>Microsoft's PST import service.</summary>
    ImportService,
}

namespace MigrationEngine.Core.Model;

/// <summary>A graph target's <c>importMode</c>.</summary>
public enum ImportMode
{
    /// <summary>Messages imported as MIME (the default).</summary>
    Mime,
    /// <summary>Messages created from JSON, attachments uploaded separately.</summary>
    Json,
}

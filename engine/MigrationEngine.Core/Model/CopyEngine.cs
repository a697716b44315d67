namespace MigrationEngine.Core.Model;

/// <summary>A migration's <c>engine</c>: who copies the mail.</summary>
public enum CopyEngine
{
    /// <summary>This engine copies (the default).</summary>
    Engine,
    /// <summary>Exchange Online's migration service copies (imap migrations into a graph target).</summary>
    Exchange,
}


namespace MigrationEngine.Core.Planning;

/// <summary>How far <c>plan</c> could look at a mailbox's source.</summary>
public enum RefreshState
{
    /// <summary>The source's folders were read: the pending figures are what apply would copy now.</summary>
    Refreshed,

    /// <summary>Never copied: everything is pending; the source is not asked (the steps already say "create").</summary>
    NeverCopied,

    /// <summary>Not asked: offline plan, Exchange-native steps, or the time budget ran out.</summary>
    NotRefreshed,

    /// <summary>Asked, but the source could not be read (the note says why).</summary>
    Failed,
}

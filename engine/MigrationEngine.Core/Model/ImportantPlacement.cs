
namespace MigrationEngine.Core.Model;

/// <summary>What Gmail's Important label becomes in the target.</summary>
public enum ImportantPlacement
{
    /// <summary>Nothing: Gmail sets it by itself on most mail, so it says little in another client.</summary>
    None,
    /// <summary>The keyword <c>$Important</c> (an Exchange category "$Important").</summary>
    Keyword,
}

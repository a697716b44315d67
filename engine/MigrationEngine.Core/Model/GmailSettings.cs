
namespace MigrationEngine.Core.Model;

/// <summary>The migration's <c>gmail</c> settings.</summary>
public sealed record GmailSettings
{
    /// <summary>Source folder paths (labels) that win, in this order, when <c>labelCopies: once</c> picks one folder.</summary>
    public IReadOnlyList<string> LabelPriority { get; init; } = [];
    public ImportantPlacement Important { get; init; } = ImportantPlacement.None;
}

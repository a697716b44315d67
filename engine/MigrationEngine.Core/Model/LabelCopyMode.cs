
namespace MigrationEngine.Core.Model;

/// <summary>How a Gmail message with several labels is placed in the target (docs/plan-format.md, "Gmail").</summary>
public enum LabelCopyMode
{
    /// <summary>One copy in each label's folder.</summary>
    Each,
    /// <summary>One copy, in the folder of the label that comes first by priority.</summary>
    Once,
    /// <summary>One copy in Inbox, Sent, Drafts or the archive folder; user labels become keywords (Exchange categories).</summary>
    Categories,
}

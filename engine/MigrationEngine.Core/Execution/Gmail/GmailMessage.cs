
namespace MigrationEngine.Core.Execution.Gmail;

/// <summary>A Gmail message as its user knows it: one item with a set of labels (its occurrences).</summary>
public sealed class GmailMessage
{
    public List<GmailOccurrence> Occurrences { get; } = [];

    public bool Has(GmailFolderRole role) => Occurrences.Exists(o => o.Role == role);

    /// <summary>Where an archived copy is read from: All Mail, else the Starred or Important folder showing it.</summary>
    public GmailOccurrence? Home =>
        Occurrences.Find(o => o.Role == GmailFolderRole.AllMail)
        ?? Occurrences.Find(o => o.Role is GmailFolderRole.Starred or GmailFolderRole.Important);
}


namespace MigrationEngine.Core.Execution.Gmail;

/// <summary>One message in one folder of the source: the folder whose label it shows, and where its bytes are read.</summary>
/// <param name="Label">The folder that stands for the label (INBOX, Work, [Gmail]/All Mail for "archived").</param>
/// <param name="Backing">The folder <see cref="SourceMessage.SourceId"/> belongs to: the label's own folder, or All Mail when
/// the labels came from X-GM-LABELS.</param>
public sealed record GmailOccurrence(SourceFolder Label, GmailFolderRole Role, SourceFolder Backing, SourceMessage Summary);

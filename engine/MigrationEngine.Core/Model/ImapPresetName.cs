namespace MigrationEngine.Core.Model;

/// <summary>An IMAP endpoint's <c>preset</c>.</summary>
public enum ImapPresetName
{
    Gmail,
    Office365,
    Exchange,
    Generic,
}

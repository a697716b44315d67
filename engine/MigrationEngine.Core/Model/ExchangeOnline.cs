namespace MigrationEngine.Core.Model;

/// <summary>Where Microsoft's own rules apply: facts about bound plan values that binding and validation both ask.</summary>
public static class ExchangeOnline
{
    /// <summary>Migration types that run as Exchange Online migration batches.</summary>
    public static bool RunsMigration(MigrationType type, CopyEngine engine) =>
        type is MigrationType.Cutover or MigrationType.Staged or MigrationType.Hybrid or MigrationType.Gworkspace
        || type == MigrationType.Imap && engine == CopyEngine.Exchange;

    /// <summary>
    /// The target is Exchange Online (a graph target, or IMAP with preset office365): Microsoft's own rules (IMAP migrations
    /// move mail only into existing mailboxes, message size limits) apply only there.
    /// </summary>
    public static bool IsTarget(EndpointDefinition? target) =>
        target is not null && (target.Type == EndpointType.Graph || target.Type == EndpointType.Imap && target.Preset == ImapPresetName.Office365);
}

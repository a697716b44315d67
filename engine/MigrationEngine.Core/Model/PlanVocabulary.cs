
namespace MigrationEngine.Core.Model;

/// <summary>
/// The one home of how the plan spells each enum value (the schema's words). Binding reads through it, and everything that
/// writes a value back for people (diagnostics, plan and status output, reports, diffs) writes through it, so the text the
/// engine prints stays the plan's own word ("ics-vcf", not "IcsVcf").
/// </summary>
public static class PlanVocabulary
{
    public static readonly Spellings<EndpointType> EndpointTypes = new(
        (EndpointType.Imap, "imap"),
        (EndpointType.Exchange, "exchange"),
        (EndpointType.Gworkspace, "gworkspace"),
        (EndpointType.Mbox, "mbox"),
        (EndpointType.Maildir, "maildir"),
        (EndpointType.Eml, "eml"),
        (EndpointType.Pst, "pst"),
        (EndpointType.IcsVcf, "ics-vcf"),
        (EndpointType.Dav, "dav"),
        (EndpointType.Graph, "graph"));

    public static readonly Spellings<MigrationType> MigrationTypes = new(
        (MigrationType.Imap, "imap"),
        (MigrationType.Cutover, "cutover"),
        (MigrationType.Staged, "staged"),
        (MigrationType.Hybrid, "hybrid"),
        (MigrationType.Gworkspace, "gworkspace"),
        (MigrationType.Pst, "pst"),
        (MigrationType.Import, "import"));

    public static readonly Spellings<CopyEngine> CopyEngines = new((CopyEngine.Engine, "engine"), (CopyEngine.Exchange, "exchange"));

    public static readonly Spellings<MboxLayout> MboxLayouts = new((MboxLayout.Folders, "folders"), (MboxLayout.Takeout, "takeout"));

    public static readonly Spellings<PstEngine> PstEngines = new((PstEngine.Readpst, "readpst"), (PstEngine.ImportService, "importService"));

    public static readonly Spellings<ImportMode> ImportModes = new((ImportMode.Mime, "mime"), (ImportMode.Json, "json"));

    public static readonly Spellings<TlsMode> TlsModes = new((TlsMode.Implicit, "implicit"), (TlsMode.StartTls, "starttls"), (TlsMode.None, "none"));

    public static readonly Spellings<MicrosoftCloud> Clouds = new(
        (MicrosoftCloud.Global, "global"),
        (MicrosoftCloud.UsGov, "usgov"),
        (MicrosoftCloud.UsGovDod, "usgovdod"),
        (MicrosoftCloud.China, "china"));

    public static readonly Spellings<AuthMechanism> AuthMechanisms = new(
        (AuthMechanism.Password, "password"),
        (AuthMechanism.OAuth2, "oauth2"),
        (AuthMechanism.ClientCredentials, "clientCredentials"),
        (AuthMechanism.GoogleServiceAccount, "googleServiceAccount"));

    public static readonly Spellings<ImapPresetName> Presets = new(
        (ImapPresetName.Gmail, "gmail"),
        (ImapPresetName.Office365, "office365"),
        (ImapPresetName.Exchange, "exchange"),
        (ImapPresetName.Generic, "generic"));

    public static readonly Spellings<LabelCopyMode> LabelCopyModes = new(
        (LabelCopyMode.Each, "each"),
        (LabelCopyMode.Once, "once"),
        (LabelCopyMode.Categories, "categories"));

    public static readonly Spellings<ImportantPlacement> ImportantPlacements = new(
        (ImportantPlacement.None, "none"),
        (ImportantPlacement.Keyword, "keyword"));

    public static readonly Spellings<MailboxScope> MailboxScopes = new(
        (MailboxScope.PrimaryAndArchive, "primaryAndArchive"),
        (MailboxScope.PrimaryOnly, "primaryOnly"),
        (MailboxScope.ArchiveOnly, "archiveOnly"));

    public static readonly Spellings<RemovedBatchAction> RemovedBatchActions = new(
        (RemovedBatchAction.Recreate, "recreate"),
        (RemovedBatchAction.ReportCompleted, "reportCompleted"));

    public static readonly Spellings<Execution.ItemKind> ItemKinds = new(
        (Execution.ItemKind.Mail, "mail"),
        (Execution.ItemKind.Contacts, "contacts"),
        (Execution.ItemKind.Calendar, "calendar"));

    /// <summary>The plan's word for the value ("ics-vcf"); an unknown value (a plan with errors) is "".</summary>
    public static string Yaml(this EndpointType value) => EndpointTypes.Of(value);

    public static string Yaml(this MigrationType value) => MigrationTypes.Of(value);

    public static string Yaml(this CopyEngine value) => CopyEngines.Of(value);

    public static string Yaml(this MboxLayout value) => MboxLayouts.Of(value);

    public static string Yaml(this PstEngine value) => PstEngines.Of(value);

    public static string Yaml(this ImportMode value) => ImportModes.Of(value);

    public static string Yaml(this TlsMode value) => TlsModes.Of(value);

    public static string Yaml(this MicrosoftCloud value) => Clouds.Of(value);

    public static string Yaml(this AuthMechanism value) => AuthMechanisms.Of(value);

    public static string Yaml(this ImapPresetName value) => Presets.Of(value);

    public static string Yaml(this LabelCopyMode value) => LabelCopyModes.Of(value);

    public static string Yaml(this ImportantPlacement value) => ImportantPlacements.Of(value);

    public static string Yaml(this Execution.ItemKind value) => ItemKinds.Of(value);
}

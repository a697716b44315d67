using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Model;

/// <summary>A validated, resolved migration plan (apiVersion migration-engine/v1). Produced by the Validate stage only.</summary>
public sealed record PlanModel
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Absolute path of the plan file.</summary>
    public required string PlanFile { get; init; }

    /// <summary>Folder of the plan file: relative paths (CSV, file:, caFile, data paths) resolve against it.</summary>
    public string PlanDirectory => Path.GetDirectoryName(PlanFile)!;

    /// <summary>SHA-256 (hex) over the plan file and every file it reads (CSVs), for saved plans.</summary>
    public required string ContentHash { get; init; }

    /// <summary>Full paths of the files besides the plan that <see cref="ContentHash"/> covers (its CSVs), in the order hashed.</summary>
    public IReadOnlyList<string> InputFiles { get; init; } = [];

    public IReadOnlyDictionary<string, EndpointDefinition> Sources { get; init; } = new Dictionary<string, EndpointDefinition>();
    public IReadOnlyDictionary<string, EndpointDefinition> Targets { get; init; } = new Dictionary<string, EndpointDefinition>();
    public IReadOnlyDictionary<string, MailboxSet> MailboxSets { get; init; } = new Dictionary<string, MailboxSet>();
    public IReadOnlyList<MigrationDefinition> Migrations { get; init; } = [];
    public IReadOnlyList<ReportDefinition> Reports { get; init; } = [];

    /// <summary><c>spec.options.allowPlaintextSecrets</c>: the explicit opt-in for literal secrets.</summary>
    public bool AllowPlaintextSecrets { get; init; }

    /// <summary><c>spec.options.allowedRoots</c>: absolute folders outside the plan's folder that its paths may name.</summary>
    public IReadOnlyList<string> AllowedRoots { get; init; } = [];

    /// <summary><c>spec.options.allowSharedTargets</c>: target mailboxes may be written by other states or plans too.</summary>
    public bool AllowSharedTargets { get; init; }

    /// <summary>The rule for every path the plan names: inside its folder or an allowed root.</summary>
    public Loading.PlanPaths Paths => new(PlanDirectory, AllowedRoots);
}

public enum EndpointRole
{
    Source,
    Target,
}

/// <summary>
/// A source or target. One record for every type keeps adapters' factories simple; fields that do not apply
/// to a type are null. <see cref="CanonicalSettings"/> is what step input hashes use.
/// </summary>
public sealed record EndpointDefinition
{
    public required string Name { get; init; }
    public required EndpointRole Role { get; init; }

    /// <summary>imap, exchange, gworkspace, mbox, maildir, eml, pst, ics-vcf, dav (sources); graph, imap, maildir, ics-vcf, dav (targets).</summary>
    public required EndpointType Type { get; init; }

    public required SourceLocation Location { get; init; }

    // IMAP
    public string? Host { get; init; }
    public int? Port { get; init; }
    /// <summary>implicit, starttls or none.</summary>
    public string? Tls { get; init; }
    public bool AllowInsecure { get; init; }
    /// <summary>IMAP <c>maxConnections</c>: connections open at once to this host across all migrations and workers of the plan.</summary>
    public int? MaxConnections { get; init; }
    /// <summary>Absolute path of an extra CA certificate to trust (IMAP and Graph).</summary>
    public string? CaFile { get; init; }
    /// <summary>gmail, office365, exchange or generic; null when the plan sets none.</summary>
    public ImapPresetName? Preset { get; init; }
    public AuthDefinition? Auth { get; init; }
    /// <summary>IMAP <c>timeouts</c>: how long each phase of a connection may stall.</summary>
    public ConnectionTimeouts Timeouts { get; init; } = new();

    // Graph
    public string? TenantId { get; init; }
    public string? ClientId { get; init; }
    public SecretReference? ClientSecret { get; init; }
    public SecretReference? Certificate { get; init; }
    public SecretReference? CertificatePassword { get; init; }
    /// <summary>global, usgov, usgovdod or china.</summary>
    public string? Cloud { get; init; }
    public string? Endpoint { get; init; }
    public string? AuthorityHost { get; init; }
    /// <summary>mime or json; null when the plan sets none (mime).</summary>
    public ImportMode? ImportMode { get; init; }
    public ProvisionDefinition? Provision { get; init; }

    // Exchange
    public string? Version { get; init; }
    public string? Server { get; init; }
    public CredentialsDefinition? Credentials { get; init; }
    /// <summary>Migration endpoint settings for Exchange Online's migration service (exchange, imap and gworkspace sources).</summary>
    public ExchangeEndpointSettings ExchangeEndpoint { get; init; } = new();

    // DAV (CardDAV/CalDAV): the server's base or /.well-known URL; the scheme decides TLS (http needs AllowInsecure).
    public string? Url { get; init; }

    // Files: absolute path.
    public string? Path { get; init; }
    /// <summary>For mbox sources: <c>folders</c> (one .mbox per folder) or <c>takeout</c> (labels give the folders).</summary>
    public MboxLayout? Layout { get; init; }
    /// <summary>For pst: <c>engine</c> (default, readpst) or <c>importService</c>.</summary>
    public PstEngine? Engine { get; init; }

    /// <summary>Settings as canonical JSON (sorted keys, secret references not values), for hashing.</summary>
    public required string CanonicalSettings { get; init; }
}

public sealed record AuthDefinition
{
    /// <summary>password (default), oauth2, clientCredentials or googleServiceAccount.</summary>
    public string Mechanism { get; init; } = "password";
    /// <summary>May contain <c>{mailbox}</c>: the mailbox's address on this side.</summary>
    public string? Username { get; init; }
    public SecretReference? Password { get; init; }
    public SecretReference? AccessToken { get; init; }
    public string? TenantId { get; init; }
    public string? ClientId { get; init; }
    public SecretReference? ClientSecret { get; init; }
    public string? AuthorityHost { get; init; }
    /// <summary>googleServiceAccount: the service account's JSON key (a secret reference).</summary>
    public SecretReference? KeyFile { get; init; }
    /// <summary>googleServiceAccount: the OAuth scope asked for (default https://mail.google.com/).</summary>
    public string? Scope { get; init; }
}

public sealed record CredentialsDefinition
{
    public string? Username { get; init; }
    public SecretReference? Password { get; init; }
}

public sealed record ProvisionDefinition
{
    public bool CreateUsers { get; init; }
    public string? UsageLocation { get; init; }
    public IReadOnlyList<string> Licenses { get; init; } = [];
    /// <summary>Absolute path of the file that receives initial passwords (mode 0600).</summary>
    public string? PasswordFile { get; init; }
}

public sealed record MailboxSet
{
    public required string Name { get; init; }
    public required SourceLocation Location { get; init; }
    /// <summary>Absolute path of the CSV when the set comes from one.</summary>
    public string? CsvFile { get; init; }
    public IReadOnlyList<MailboxEntry> Mailboxes { get; init; } = [];
}

/// <summary>One mailbox to migrate. Addresses are as written (trimmed); comparisons are case-insensitive.</summary>
public sealed record MailboxEntry
{
    public required string SourceAddress { get; init; }
    public required string TargetAddress { get; init; }
    /// <summary>Source-side login; may be an admin form such as <c>Domain/Admin/User</c> or <c>user*admin</c>.</summary>
    public string? Username { get; init; }
    public AdminCredentialForm AdminForm { get; init; }
    public SecretReference? Password { get; init; }
    public string? UserRoot { get; init; }
    public bool? ForceChangePassword { get; init; }
    /// <summary>Where the entry was written: the plan (line of the list item) or the CSV (row, column 1).</summary>
    public required SourceLocation Location { get; init; }
}

public enum AdminCredentialForm
{
    None,
    /// <summary><c>Domain/Admin/User</c>: Exchange admin credentials.</summary>
    ExchangeAdmin,
    /// <summary><c>user*admin</c>: Dovecot master user.</summary>
    MasterUser,
}

public sealed record MigrationDefinition
{
    public required string Name { get; init; }
    /// <summary>imap, cutover, staged, hybrid, gworkspace, pst or import.</summary>
    public required MigrationType Type { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public IReadOnlyList<string> MailboxSets { get; init; } = [];
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    /// <summary>What the migration moves (<c>items:</c>), in the plan's order; default mail only.</summary>
    public IReadOnlyList<Execution.ItemKind> Items { get; init; } = [Execution.ItemKind.Mail];

    /// <summary>Whether <see cref="Items"/> names mail (the mail steps run) or only contacts and calendars.</summary>
    public bool MovesMail => Items.Contains(Execution.ItemKind.Mail);
    public FolderRules Folders { get; init; } = new();
    public MessageFilters Filters { get; init; } = new();
    public ConcurrencyLimits Concurrency { get; init; } = new();
    public int Passes { get; init; } = 1;
    /// <summary>For imap: <c>engine</c> (default, we copy) or <c>exchange</c> (Microsoft's service).</summary>
    public CopyEngine Engine { get; init; } = CopyEngine.Engine;
    /// <summary>Gmail labels (IMAP and Takeout): where a message with several labels is copied (see <see cref="LabelCopyMode"/>).</summary>
    public LabelCopyMode LabelCopies { get; init; } = LabelCopyMode.Each;
    /// <summary>Gmail placement settings beyond <see cref="LabelCopies"/>: label priority for <c>once</c>, Important.</summary>
    public GmailSettings Gmail { get; init; } = new();
    public bool SyncFlags { get; init; }
    public int? BadItemLimit { get; init; }
    public bool Complete { get; init; }
    public DateTimeOffset? StartAfter { get; init; }
    public DateTimeOffset? CompleteAfter { get; init; }
    public IReadOnlyList<string> NotificationEmails { get; init; } = [];
    public string? TargetDeliveryDomain { get; init; }
    /// <summary>The <c>exchange:</c> block: settings of Exchange Online's migration service.</summary>
    public ExchangeMigrationSettings Exchange { get; init; } = new();
    public required SourceLocation Location { get; init; }
    /// <summary>This migration's own settings as canonical JSON, for hashing.</summary>
    public required string CanonicalSettings { get; init; }
}

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

/// <summary>What Gmail's Important label becomes in the target.</summary>
public enum ImportantPlacement
{
    /// <summary>Nothing: Gmail sets it by itself on most mail, so it says little in another client.</summary>
    None,
    /// <summary>The keyword <c>$Important</c> (an Exchange category "$Important").</summary>
    Keyword,
}

/// <summary>The migration's <c>gmail</c> settings.</summary>
public sealed record GmailSettings
{
    /// <summary>Source folder paths (labels) that win, in this order, when <c>labelCopies: once</c> picks one folder.</summary>
    public IReadOnlyList<string> LabelPriority { get; init; } = [];
    public ImportantPlacement Important { get; init; } = ImportantPlacement.None;
}

public sealed record FolderRules
{
    /// <summary>Globs (<c>*</c>, <c>?</c>, <c>**</c>) or regexes written <c>/.../</c>; empty means all.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];
    public IReadOnlyList<string> Exclude { get; init; } = [];
    /// <summary>Source folder path to target folder path, '/' as delimiter.</summary>
    public IReadOnlyDictionary<string, string> Map { get; init; } = new Dictionary<string, string>();
}

public sealed record MessageFilters
{
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Before { get; init; }
    public long? MaxMessageSize { get; init; }
    public bool IncludeDeleted { get; init; }
}

public sealed record ConcurrencyLimits
{
    public int Mailboxes { get; init; } = 4;
    public int ConnectionsPerMailbox { get; init; } = 2;
}

public sealed record ReportDefinition(string Template, string Output, SourceLocation Location);

/// <summary>Seconds a connection may stall in each phase (IMAP <c>timeouts</c>); a stall names its phase.</summary>
public sealed record ConnectionTimeouts
{
    public int ConnectSeconds { get; init; } = 30;
    public int GreetingSeconds { get; init; } = 30;
    public int TlsSeconds { get; init; } = 30;
    public int CommandSeconds { get; init; } = 120;
}

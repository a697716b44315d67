namespace MigrationEngine.Core.Diagnostics;

/// <summary>Plan language diagnostics: MIG00xx syntax, MIG01xx schema, MIG02xx semantics, MIG03xx CSV, MIG04xx secrets.</summary>
public static partial class DiagnosticCatalog
{
    private const DiagnosticSeverity E = DiagnosticSeverity.Error;
    private const DiagnosticSeverity W = DiagnosticSeverity.Warning;

    // MIG00xx: reading and YAML syntax
    public static readonly DiagnosticDescriptor YamlSyntax = new("MIG0001", E, "YAML syntax error", "the plan is not valid YAML, so it was not checked any further; the YAML parser stopped here: {0}");
    public static readonly DiagnosticDescriptor DuplicateKey = new("MIG0002", E, "Duplicate key", "duplicate key '{0}' (first defined on line {1})");
    public static readonly DiagnosticDescriptor TabIndentation = new("MIG0003", E, "Tab used for indentation", "a tab is used for indentation; YAML allows only spaces");
    public static readonly DiagnosticDescriptor AliasNotAllowed = new("MIG0004", E, "Anchors and aliases are not supported", "YAML alias '*{0}' is not supported; write the value out in full");
    public static readonly DiagnosticDescriptor EmptyFile = new("MIG0005", E, "Empty plan", "the plan file is empty");
    public static readonly DiagnosticDescriptor ByteOrderMark = new("MIG0006", W, "UTF-8 byte order mark", "the file starts with a UTF-8 byte order mark; it is ignored, but save the file as UTF-8 without BOM");
    public static readonly DiagnosticDescriptor NotUtf8 = new("MIG0007", E, "File is not UTF-8", "the file is not valid UTF-8 (invalid byte 0x{0:X2} at offset {1}); save it as UTF-8");
    public static readonly DiagnosticDescriptor FileTooLarge = new("MIG0008", E, "File too large", "the file is {0:N0} bytes; plan files are limited to {1:N0} bytes (put large mailbox lists in CSV files)");
    public static readonly DiagnosticDescriptor NestingTooDeep = new("MIG0009", E, "Nesting too deep", "the document is nested deeper than {0} levels");
    public static readonly DiagnosticDescriptor MultipleDocuments = new("MIG0010", E, "Multiple YAML documents", "the file contains more than one YAML document; a plan is exactly one document");
    public static readonly DiagnosticDescriptor FileUnreadable = new("MIG0011", E, "File cannot be read", "the plan file cannot be read, so it was not checked; the file system reported: {0}");
    public static readonly DiagnosticDescriptor RootNotMapping = new("MIG0012", E, "Plan is not a mapping", "the plan must be a YAML mapping (apiVersion, kind, metadata, spec)");
    public static readonly DiagnosticDescriptor TagNotAllowed = new("MIG0013", E, "YAML tags are not supported", "YAML tag '{0}' is not supported; remove it");
    public static readonly DiagnosticDescriptor NonStringKey = new("MIG0014", E, "Key is not a plain string", "mapping keys must be plain strings");
    public static readonly DiagnosticDescriptor CommentPlacement = new("MIG0015", E, "Comment the formatter cannot keep", "the formatter cannot keep a comment near this position (a YamlDotNet limitation); move the comment to its own line above a key");

    // MIG01xx: schema
    public static readonly DiagnosticDescriptor UnknownProperty = new("MIG0101", E, "Unknown property", "unknown property '{0}'{1}");
    public static readonly DiagnosticDescriptor MissingProperty = new("MIG0102", E, "Missing required property", "missing required property '{0}'{1}");
    public static readonly DiagnosticDescriptor WrongType = new("MIG0103", E, "Wrong value type", "'{0}' must be {1}");
    public static readonly DiagnosticDescriptor NotInEnum = new("MIG0104", E, "Value not allowed", "'{0}' is not a valid value for '{1}'; expected one of: {2}");
    public static readonly DiagnosticDescriptor PatternMismatch = new("MIG0105", E, "Value has the wrong format", "'{0}' is not a valid value for '{1}': {2}");
    public static readonly DiagnosticDescriptor UnknownApiVersion = new("MIG0106", E, "Unknown apiVersion", "unknown apiVersion '{0}'; known versions: {1}");
    public static readonly DiagnosticDescriptor UnknownKind = new("MIG0107", E, "Unknown kind", "unknown kind '{0}'; expected MigrationPlan");
    public static readonly DiagnosticDescriptor UnknownEndpointType = new("MIG0108", E, "Unknown source or target type", "unknown {0} type '{1}'; expected one of: {2}");
    public static readonly DiagnosticDescriptor OutOfRange = new("MIG0109", E, "Value out of range", "'{0}' is out of range: {1}");
    public static readonly DiagnosticDescriptor TooFewItems = new("MIG0110", E, "List or map too short", "'{0}' must contain at least {1} item(s)");
    public static readonly DiagnosticDescriptor SchemaViolation = new("MIG0111", E, "Schema violation", "'{0}' does not match the plan schema: {1}");
    public static readonly DiagnosticDescriptor MailboxSetShape = new("MIG0112", E, "Mailbox set needs either mailboxes or csv", "mailbox set '{0}' must have exactly one of 'mailboxes' or 'csv'");
    public static readonly DiagnosticDescriptor DuplicateItems = new("MIG0113", E, "Duplicate list items", "'{0}' lists the same value more than once");

    // MIG02xx: semantics
    public static readonly DiagnosticDescriptor UnknownSource = new("MIG0201", E, "Unknown source", "migration '{0}' reads from source '{1}', which is not defined in spec.sources");
    public static readonly DiagnosticDescriptor UnknownTarget = new("MIG0202", E, "Unknown target", "migration '{0}' writes to target '{1}', which is not defined in spec.targets");
    public static readonly DiagnosticDescriptor UnknownMailboxSet = new("MIG0203", E, "Unknown mailbox set", "migration '{0}' uses mailbox set '{1}', which is not defined in spec.mailboxSets");
    public static readonly DiagnosticDescriptor UnknownDependency = new("MIG0204", E, "Unknown dependency", "migration '{0}' depends on '{1}', which is not a migration in this plan");
    public static readonly DiagnosticDescriptor DuplicateMigrationName = new("MIG0205", E, "Duplicate migration name", "migration name '{0}' is already used on line {1}");
    public static readonly DiagnosticDescriptor DependencyCycle = new("MIG0206", E, "Dependency cycle", "dependsOn forms a cycle: {0}");
    public static readonly DiagnosticDescriptor SourceTypeMismatch = new("MIG0207", E, "Migration type cannot read this source", "a migration of type '{0}' cannot read from source '{1}' of type '{2}'; it needs a source of type {3}");
    public static readonly DiagnosticDescriptor TargetTypeMismatch = new("MIG0208", E, "Migration cannot write to this target", "a migration of type '{0}' cannot write to target '{1}' of type '{2}'; it needs a target of type {3}");
    public static readonly DiagnosticDescriptor MailboxInTwoSets = new("MIG0209", E, "Mailbox in two sets", "mailbox '{0}' appears in mailbox sets '{1}' and '{2}' of migration '{3}'");
    public static readonly DiagnosticDescriptor TargetFromTwoSources = new("MIG0210", E, "Target address fed from two sources", "target mailbox '{0}' receives mail from two different sources: '{1}' and '{2}'");
    public static readonly DiagnosticDescriptor ImapMovesMailOnly = new("MIG0211", W, "IMAP migration copies mail only", "IMAP migration copies mail folders only (no contacts or calendars) and the target mailboxes must already exist (migration '{0}')");
    public static readonly DiagnosticDescriptor CutoverSourceVersion = new("MIG0212", E, "Cutover needs Exchange 2003-2013", "cutover migration '{0}' needs an Exchange 2003, 2007, 2010 or 2013 source; source '{1}' is Exchange {2}");
    public static readonly DiagnosticDescriptor CutoverTooManyMailboxes = new("MIG0213", E, "Cutover limited to 2,000 mailboxes", "cutover migration '{0}' has {1:N0} mailboxes; a cutover migration moves at most 2,000 (use staged or hybrid)");
    public static readonly DiagnosticDescriptor CutoverManyMailboxes = new("MIG0214", W, "Cutover above 150 mailboxes", "cutover migration '{0}' has {1:N0} mailboxes; Microsoft recommends cutover for 150 or fewer");
    public static readonly DiagnosticDescriptor StagedSourceVersion = new("MIG0215", E, "Staged needs Exchange 2003/2007", "staged migration '{0}' needs an Exchange 2003 or 2007 source; source '{1}' is Exchange {2}");
    public static readonly DiagnosticDescriptor HybridSourceVersion = new("MIG0216", E, "Hybrid needs Exchange 2010 or later", "hybrid migration '{0}' needs an Exchange 2010 or later source; source '{1}' is Exchange {2}");
    public static readonly DiagnosticDescriptor MessageSizeAboveDefault = new("MIG0217", W, "maxMessageSize above the target's default", "maxMessageSize {0} is above the 35 MB default of target '{1}'; raise the mailbox limits in Exchange Online first");
    public static readonly DiagnosticDescriptor MessageSizeAboveMaximum = new("MIG0218", E, "maxMessageSize above the target's maximum", "maxMessageSize {0} is above the 150 MB maximum that target '{1}' accepts");
    public static readonly DiagnosticDescriptor InsecureTls = new("MIG0219", E, "Unencrypted connection not allowed", "tls: none sends passwords in clear text; set allowInsecure: true to allow it on '{0}'");
    public static readonly DiagnosticDescriptor InvalidEmail = new("MIG0220", E, "Malformed e-mail address", "'{0}' is not a valid e-mail address");
    public static readonly DiagnosticDescriptor SinceAfterBefore = new("MIG0221", E, "Empty date window", "filters.since ({0}) is not before filters.before ({1})");
    public static readonly DiagnosticDescriptor DuplicateMailbox = new("MIG0222", E, "Duplicate mailbox in a set", "mailbox '{0}' is listed twice in mailbox set '{1}' (first at {2})");
    public static readonly DiagnosticDescriptor EngineExchangeNeedsImap = new("MIG0223", E, "engine: exchange needs an IMAP migration to Exchange Online", "engine: exchange is only valid for an imap migration to a graph target (migration '{0}')");
    public static readonly DiagnosticDescriptor GraphCredentials = new("MIG0224", E, "Graph target needs one credential", "graph target '{0}' needs exactly one of clientSecret or certificate");
    public static readonly DiagnosticDescriptor AuthIncomplete = new("MIG0225", E, "Incomplete authentication", "auth mechanism '{0}' on '{1}' needs '{2}'");
    public static readonly DiagnosticDescriptor CompleteBeforeStart = new("MIG0226", E, "completeAfter before startAfter", "completeAfter ({0}) is before startAfter ({1})");
    public static readonly DiagnosticDescriptor NoMailboxes = new("MIG0227", W, "Migration without mailboxes", "migration '{0}' has no mailboxes");
    public static readonly DiagnosticDescriptor GmailArchiveExcluded = new("MIG0260", W, "Gmail archived mail left out",
        "migration '{0}': the folder rules leave out [Gmail]/All Mail, so mail archived in Gmail (in no other folder) is not copied");

    // MIG03xx: CSV mailbox lists
    public static readonly DiagnosticDescriptor CsvMissing = new("MIG0301", E, "CSV file not found", "CSV file '{0}' does not exist");
    public static readonly DiagnosticDescriptor CsvWrongHeader = new("MIG0302", E, "CSV header does not fit the migration type", "the CSV header for migration type '{0}' must have the columns {1}; missing: {2}");
    public static readonly DiagnosticDescriptor CsvFieldCount = new("MIG0303", E, "CSV row has the wrong number of fields", "row has {0} field(s); the header has {1}");
    public static readonly DiagnosticDescriptor CsvEmptyField = new("MIG0304", E, "Required CSV field is empty", "column '{0}' is empty");
    public static readonly DiagnosticDescriptor CsvInvalidEmail = new("MIG0305", E, "Malformed e-mail address in CSV", "'{0}' in column '{1}' is not a valid e-mail address");
    public static readonly DiagnosticDescriptor CsvTooManyRows = new("MIG0306", E, "IMAP CSV above 50,000 rows", "the CSV has {0:N0} mailbox rows; an IMAP migration batch accepts at most 50,000");
    public static readonly DiagnosticDescriptor CsvEmpty = new("MIG0307", E, "CSV file is empty", "the CSV file has no header row");
    public static readonly DiagnosticDescriptor CsvBadBoolean = new("MIG0308", E, "ForceChangePassword is not True or False", "ForceChangePassword must be True or False, not '{0}'");
    public static readonly DiagnosticDescriptor CsvDuplicateColumn = new("MIG0309", E, "Duplicate CSV column", "column '{0}' appears twice in the header");
    public static readonly DiagnosticDescriptor CsvUnknownColumn = new("MIG0310", W, "Unknown CSV column", "column '{0}' is not used{1}");
    public static readonly DiagnosticDescriptor CsvUnreadable = new("MIG0311", E, "CSV file cannot be read", "a mailbox CSV is UTF-8 text with one mailbox per row, and this one cannot be read; the CSV reader reported: {0}");

    // MIG04xx: secrets
    public static readonly DiagnosticDescriptor LiteralSecret = new("MIG0401", E, "Literal secret in the plan", "'{0}' holds a literal secret; use env:NAME or file:PATH (or set spec.options.allowPlaintextSecrets: true)");
    public static readonly DiagnosticDescriptor LiteralCsvPassword = new("MIG0402", E, "Plain passwords in the CSV", "{0}: {1:N0} row(s) hold plain passwords in the Password column (the first in row {2})");
    public static readonly DiagnosticDescriptor EmptySecretReference = new("MIG0403", E, "Empty secret reference", "secret reference '{0}' names nothing; write env:NAME or file:PATH");
    public static readonly DiagnosticDescriptor PlaintextSecretsAllowed = new("MIG0404", W, "Literal secrets allowed", "spec.options.allowPlaintextSecrets is true: literal secrets are accepted; keep this plan out of version control");
}

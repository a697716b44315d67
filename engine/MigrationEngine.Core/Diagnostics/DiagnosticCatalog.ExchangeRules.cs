namespace MigrationEngine.Core.Diagnostics;

/// <summary>MIG0270-MIG0289: plan rules that come from Microsoft's documentation of Exchange Online's migration service.</summary>
public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor ExchangeBadItemLimitIgnored = new(
        "MIG0270", DiagnosticSeverity.Warning, "badItemLimit does not apply to Exchange Online batches",
        "migration '{0}' ({1}): badItemLimit is not sent to Exchange Online; -BadItemLimit and -LargeItemLimit are Exchange Server parameters, deprecated in the cloud in favour of the Data Consistency Score, which grades each user and asks for approval of skipped items");

    public static readonly DiagnosticDescriptor CutoverVersionOutsideGuide = new(
        "MIG0271", DiagnosticSeverity.Warning, "Cutover from Exchange 2016 or later",
        "cutover migration '{0}' reads Exchange {1} (source '{2}'): Microsoft's cutover article supports \"Exchange Server 2003 or later\", while the migration guide this product follows names Exchange 2003 to 2013");

    public static readonly DiagnosticDescriptor ExchangeImapCannotProvision = new(
        "MIG0272", DiagnosticSeverity.Error, "engine: exchange does not create users",
        "migration '{0}' runs in Exchange Online's IMAP migration, which needs the mailboxes to exist, and target '{1}' asks for provision.createUsers");

    public static readonly DiagnosticDescriptor ExchangeFoldersNotSupported = new(
        "MIG0273", DiagnosticSeverity.Error, "Folder rules need an IMAP or Google Workspace batch",
        "migration '{0}' ({1}): folders.include/exclude become -IncludeFolders/-ExcludeFolders, which Exchange Online documents for IMAP and Google Workspace batches only");

    public static readonly DiagnosticDescriptor CutoverAboveReferenceLimit = new(
        "MIG0274", DiagnosticSeverity.Warning, "Cutover above 1,000 mailboxes",
        "cutover migration '{0}' has {1:N0} mailboxes; the New-MigrationBatch reference gives 1,000 mailboxes as the cutover maximum, the cutover article 2,000");

    public static readonly DiagnosticDescriptor ExchangeSettingsIgnored = new(
        "MIG0275", DiagnosticSeverity.Warning, "exchange settings ignored",
        "migration '{0}' ({1}) does not run in Exchange Online's migration service; its exchange: block is ignored");

    public static readonly DiagnosticDescriptor MailboxTypeNeedsHybrid = new(
        "MIG0276", DiagnosticSeverity.Error, "mailboxType needs a hybrid migration",
        "migration '{0}' ({1}): exchange.mailboxType is the remote move CSV's MailboxType column (hybrid) or the PST mapping's IsArchive (pst with the import service)");

    public static readonly DiagnosticDescriptor ApprovalForUnknownMailbox = new(
        "MIG0277", DiagnosticSeverity.Error, "Approval names a mailbox the migration does not move",
        "skipped-item approval for '{0}' in migration '{1}' names no mailbox of the migration");

    public static readonly DiagnosticDescriptor ExchangeSourceNeedsServer = new(
        "MIG0278", DiagnosticSeverity.Error, "Exchange source needs a server or Autodiscover",
        "source '{0}' of {1} migration '{2}' has neither server nor migrationEndpoint.autodiscover");

    public static readonly DiagnosticDescriptor GoogleWorkspaceRoutingDomain = new(
        "MIG0279", DiagnosticSeverity.Error, "Google Workspace migration needs a routing domain",
        "gworkspace migration '{0}': {1}");

    public static readonly DiagnosticDescriptor ExchangeImapMessageLimit = new(
        "MIG0280", DiagnosticSeverity.Warning, "Above the IMAP migration's message size",
        "migration '{0}' runs in Exchange Online's IMAP migration, which moves messages of at most 35 MB; filters.maxMessageSize {1} does not raise that");

    public static readonly DiagnosticDescriptor GmailOverImapMailOnly = new(
        "MIG0281", DiagnosticSeverity.Warning, "Gmail through the IMAP migration moves mail only",
        "migration '{0}' moves Gmail through Exchange Online's IMAP migration (mail folders only); Microsoft's Google Workspace migration also moves calendars and contacts");
}

public static partial class Diagnose
{
    public static Diagnostic ExchangeBadItemLimitIgnored(SourceLocation at, string migration, string migrationType, string? hint = null) =>
        DiagnosticCatalog.ExchangeBadItemLimitIgnored.Create(at, hint, migration, migrationType);

    public static Diagnostic CutoverVersionOutsideGuide(SourceLocation at, string migration, int exchangeVersion, string source, string? hint = null) =>
        DiagnosticCatalog.CutoverVersionOutsideGuide.Create(at, hint, migration, exchangeVersion, source);

    public static Diagnostic ExchangeImapCannotProvision(SourceLocation at, string migration, string target, string? hint = null) =>
        DiagnosticCatalog.ExchangeImapCannotProvision.Create(at, hint, migration, target);

    public static Diagnostic ExchangeFoldersNotSupported(SourceLocation at, string migration, string migrationType, string? hint = null) =>
        DiagnosticCatalog.ExchangeFoldersNotSupported.Create(at, hint, migration, migrationType);

    public static Diagnostic CutoverAboveReferenceLimit(SourceLocation at, string migration, long mailboxes, string? hint = null) =>
        DiagnosticCatalog.CutoverAboveReferenceLimit.Create(at, hint, migration, mailboxes);

    public static Diagnostic ExchangeSettingsIgnored(SourceLocation at, string migration, string migrationType, string? hint = null) =>
        DiagnosticCatalog.ExchangeSettingsIgnored.Create(at, hint, migration, migrationType);

    public static Diagnostic MailboxTypeNeedsHybrid(SourceLocation at, string migration, string migrationType, string? hint = null) =>
        DiagnosticCatalog.MailboxTypeNeedsHybrid.Create(at, hint, migration, migrationType);

    public static Diagnostic ApprovalForUnknownMailbox(SourceLocation at, string mailbox, string migration, string? hint = null) =>
        DiagnosticCatalog.ApprovalForUnknownMailbox.Create(at, hint, mailbox, migration);

    public static Diagnostic ExchangeSourceNeedsServer(SourceLocation at, string source, string migrationType, string migration, string? hint = null) =>
        DiagnosticCatalog.ExchangeSourceNeedsServer.Create(at, hint, source, migrationType, migration);

    public static Diagnostic GoogleWorkspaceRoutingDomain(SourceLocation at, string migration, string problem, string? hint = null) =>
        DiagnosticCatalog.GoogleWorkspaceRoutingDomain.Create(at, hint, migration, problem);

    public static Diagnostic ExchangeImapMessageLimit(SourceLocation at, string migration, string? maxMessageSize, string? hint = null) =>
        DiagnosticCatalog.ExchangeImapMessageLimit.Create(at, hint, migration, maxMessageSize);

    public static Diagnostic GmailOverImapMailOnly(SourceLocation at, string migration, string? hint = null) =>
        DiagnosticCatalog.GmailOverImapMailOnly.Create(at, hint, migration);
}

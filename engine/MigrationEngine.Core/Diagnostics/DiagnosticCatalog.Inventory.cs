namespace MigrationEngine.Core.Diagnostics;

/// <summary>
/// MIG1400-MIG1449: what <c>migrate inventory</c> finds in the sources before anything is copied (preflight lint), and what
/// <c>migrate plan --forecast</c> says about durations. Each names the mailbox, the folder and the plan line to change.
/// </summary>
public static partial class DiagnosticCatalog
{
    // MIG140x: reading the sources
    public static readonly DiagnosticDescriptor InventorySourceNotRead = new("MIG1400", DiagnosticSeverity.Info, "Source not read by inventory",
        "migration '{0}': source '{1}' (type {2}) is read by Exchange Online's migration service, not by the engine; inventory does not list it");
    public static readonly DiagnosticDescriptor InventoryMailboxFailed = new("MIG1401", DiagnosticSeverity.Error, "Mailbox could not be inventoried",
        "mailbox {0} of migration '{1}' could not be read: {2}");

    // MIG141x: message sizes against the target
    public static readonly DiagnosticDescriptor InventoryAboveDefaultSize = new("MIG1410", DiagnosticSeverity.Warning, "Messages larger than the target's default limit",
        "mailbox {0}, folder '{1}': {2:N0} message(s) larger than {3} (the largest {4}); target '{5}' refuses them unless its mailboxes' MaxReceiveSize is raised");
    public static readonly DiagnosticDescriptor InventoryAboveMaximumSize = new("MIG1411", DiagnosticSeverity.Error, "Messages larger than the target can ever take",
        "mailbox {0}, folder '{1}': {2:N0} message(s) larger than {3}, the most target '{4}' accepts (the largest {5}); they would be bad items");
    public static readonly DiagnosticDescriptor InventoryAboveGraphRequest = new("MIG1412", DiagnosticSeverity.Warning, "Messages above Graph's 4 MB request limit",
        "mailbox {0}: {1:N0} message(s) ({2}) are above what one Graph importMime request carries; target '{3}' imports them in JSON mode, which does not keep their exact MIME");
    public static readonly DiagnosticDescriptor InventoryAboveFilterSize = new("MIG1413", DiagnosticSeverity.Info, "Messages left out by filters.maxMessageSize",
        "mailbox {0}: {1:N0} message(s) are larger than filters.maxMessageSize {2} and will be left out by that rule");

    // MIG142x: counts and folders against the target
    public static readonly DiagnosticDescriptor InventoryImapItemLimit = new("MIG1420", DiagnosticSeverity.Error, "Mailbox over the IMAP migration item limit",
        "mailbox {0}: {1:N0} messages, more than the {2:N0} items Exchange Online's IMAP migration moves from one mailbox (newest first: the oldest {3:N0} would not arrive)");
    public static readonly DiagnosticDescriptor InventoryFolderItemLimit = new("MIG1421", DiagnosticSeverity.Error, "Folder over the target's item limit",
        "mailbox {0}, folder '{1}': {2:N0} messages, more than the {3:N0} items an Exchange Online folder holds");
    public static readonly DiagnosticDescriptor InventoryFolderCaseCollision = new("MIG1422", DiagnosticSeverity.Warning, "Folders that differ only in case",
        "mailbox {0}: folders '{1}' and '{2}' differ only in case; Exchange Online compares folder names case-insensitively and puts both into one folder");
    public static readonly DiagnosticDescriptor InventoryReservedFolderName = new("MIG1423", DiagnosticSeverity.Warning, "Folder name the target keeps for itself",
        "mailbox {0}: folder '{1}' becomes '{2}' in the target, a name Exchange Online keeps for its own {3} folder; mail there is hidden from mail clients or refused");
    public static readonly DiagnosticDescriptor InventoryFolderNameRefused = new("MIG1424", DiagnosticSeverity.Warning, "Folder name the target refuses",
        "mailbox {0}: folder '{1}' {2}");
    public static readonly DiagnosticDescriptor InventoryFolderTooDeep = new("MIG1425", DiagnosticSeverity.Error, "Folder nested deeper than the target allows",
        "mailbox {0}: folder '{1}' is {2} levels deep; Exchange Online allows at most {3}");
    public static readonly DiagnosticDescriptor InventoryTooManySubfolders = new("MIG1426", DiagnosticSeverity.Error, "Folder with more subfolders than the target allows",
        "mailbox {0}: folder '{1}' would get {2:N0} subfolders in the target; Exchange Online allows at most {3:N0} in one folder, and the folders past that are not created");

    // MIG143x: Gmail
    public static readonly DiagnosticDescriptor InventoryGmailLabels = new("MIG1430", DiagnosticSeverity.Info, "How the label policy places Gmail's labels",
        "mailbox {0}: {1:N0} messages in All Mail, {2:N0} label entries in {3:N0} label folder(s); labelCopies: {4} {5}");
    public static readonly DiagnosticDescriptor InventoryGmailQuota = new("MIG1431", DiagnosticSeverity.Warning, "Gmail's daily download quota binds the mailbox",
        "mailbox {0}: {1} to download from Gmail takes at least {2} day(s) at Gmail's IMAP download limit of {3} per user per day, however fast the engine is");

    // MIG144x: forecast
    public static readonly DiagnosticDescriptor ForecastMissesCompleteAfter = new("MIG1440", DiagnosticSeverity.Warning, "Forecast ends after completeAfter",
        "migration '{0}' is forecast to end {1:u} at the earliest and {2:u} at the latest, after its completeAfter {3:u}");
    public static readonly DiagnosticDescriptor ForecastWithoutInventory = new("MIG1441", DiagnosticSeverity.Warning, "Forecast without inventory",
        "{0:N0} mailbox(es) of the plan have no inventory in state; their size is unknown and the forecast leaves them out");
}

public static partial class Diagnose
{
    public static Diagnostic InventorySourceNotRead(SourceLocation at, string migration, string source, string sourceType, string? hint = null) =>
        DiagnosticCatalog.InventorySourceNotRead.Create(at, hint, migration, source, sourceType);

    public static Diagnostic InventoryMailboxFailed(SourceLocation at, string mailbox, string migration, string cause, string? hint = null) =>
        DiagnosticCatalog.InventoryMailboxFailed.Create(at, hint, mailbox, migration, cause);

    public static Diagnostic InventoryAboveDefaultSize(SourceLocation at, string mailbox, string folder, long messages, string defaultLimit, string largest, string target, string? hint = null) =>
        DiagnosticCatalog.InventoryAboveDefaultSize.Create(at, hint, mailbox, folder, messages, defaultLimit, largest, target);

    public static Diagnostic InventoryAboveMaximumSize(SourceLocation at, string mailbox, string folder, long messages, string maximum, string target, string largest, string? hint = null) =>
        DiagnosticCatalog.InventoryAboveMaximumSize.Create(at, hint, mailbox, folder, messages, maximum, target, largest);

    public static Diagnostic InventoryAboveGraphRequest(SourceLocation at, string mailbox, long messages, string sizes, string target, string? hint = null) =>
        DiagnosticCatalog.InventoryAboveGraphRequest.Create(at, hint, mailbox, messages, sizes, target);

    public static Diagnostic InventoryAboveFilterSize(SourceLocation at, string mailbox, long messages, string maxMessageSize, string? hint = null) =>
        DiagnosticCatalog.InventoryAboveFilterSize.Create(at, hint, mailbox, messages, maxMessageSize);

    public static Diagnostic InventoryImapItemLimit(SourceLocation at, string mailbox, long messages, long itemLimit, long notArriving, string? hint = null) =>
        DiagnosticCatalog.InventoryImapItemLimit.Create(at, hint, mailbox, messages, itemLimit, notArriving);

    public static Diagnostic InventoryFolderItemLimit(SourceLocation at, string mailbox, string folder, long messages, long itemLimit, string? hint = null) =>
        DiagnosticCatalog.InventoryFolderItemLimit.Create(at, hint, mailbox, folder, messages, itemLimit);

    public static Diagnostic InventoryFolderCaseCollision(SourceLocation at, string mailbox, string folder, string otherFolder, string? hint = null) =>
        DiagnosticCatalog.InventoryFolderCaseCollision.Create(at, hint, mailbox, folder, otherFolder);

    public static Diagnostic InventoryReservedFolderName(SourceLocation at, string mailbox, string folder, string targetName, string purpose, string? hint = null) =>
        DiagnosticCatalog.InventoryReservedFolderName.Create(at, hint, mailbox, folder, targetName, purpose);

    public static Diagnostic InventoryFolderNameRefused(SourceLocation at, string mailbox, string folder, string problem, string? hint = null) =>
        DiagnosticCatalog.InventoryFolderNameRefused.Create(at, hint, mailbox, folder, problem);

    public static Diagnostic InventoryFolderTooDeep(SourceLocation at, string mailbox, string folder, int levels, int maxDepth, string? hint = null) =>
        DiagnosticCatalog.InventoryFolderTooDeep.Create(at, hint, mailbox, folder, levels, maxDepth);

    public static Diagnostic InventoryTooManySubfolders(SourceLocation at, string mailbox, string parentFolder, long subfolders, long maxSubfolders, string? hint = null) =>
        DiagnosticCatalog.InventoryTooManySubfolders.Create(at, hint, mailbox, parentFolder, subfolders, maxSubfolders);

    public static Diagnostic InventoryGmailLabels(SourceLocation at, string mailbox, long allMailMessages, long labelEntries, long labelFolders, string labelCopies, string placement, string? hint = null) =>
        DiagnosticCatalog.InventoryGmailLabels.Create(at, hint, mailbox, allMailMessages, labelEntries, labelFolders, labelCopies, placement);

    public static Diagnostic InventoryGmailQuota(SourceLocation at, string mailbox, string size, int days, string dailyLimit, string? hint = null) =>
        DiagnosticCatalog.InventoryGmailQuota.Create(at, hint, mailbox, size, days, dailyLimit);

    public static Diagnostic ForecastMissesCompleteAfter(SourceLocation at, string migration, DateTimeOffset earliestEnd, DateTimeOffset latestEnd, DateTimeOffset completeAfter, string? hint = null) =>
        DiagnosticCatalog.ForecastMissesCompleteAfter.Create(at, hint, migration, earliestEnd, latestEnd, completeAfter);

    public static Diagnostic ForecastWithoutInventory(SourceLocation at, long mailboxes, string? hint = null) =>
        DiagnosticCatalog.ForecastWithoutInventory.Create(at, hint, mailboxes);
}

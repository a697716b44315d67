namespace MigrationEngine.Core.Diagnostics;

/// <summary>MIG11xx: Exchange-native migrations (migration endpoints and batches through ExchangeOnlineManagement) and the PST Import Service.</summary>
public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor ExchangeModuleMissing = new(
        "MIG1101", DiagnosticSeverity.Error, "ExchangeOnlineManagement module not installed",
        "migration {0} runs in Exchange Online's migration service, which is driven through the PowerShell module ExchangeOnlineManagement; it is not installed (searched: {1})");

    public static readonly DiagnosticDescriptor ExchangeSettingMissing = new(
        "MIG1102", DiagnosticSeverity.Error, "Setting needed for Exchange Online",
        "migration {0}: {1}");

    public static readonly DiagnosticDescriptor ExchangeConnectFailed = new(
        "MIG1103", DiagnosticSeverity.Error, "Cannot connect to Exchange Online",
        "cannot connect to Exchange Online as application {0} in organization {1}: {2}");

    public static readonly DiagnosticDescriptor ExchangeCommandFailed = new(
        "MIG1104", DiagnosticSeverity.Error, "Exchange Online command failed",
        "{0} failed for {1}: {2}");

    public static readonly DiagnosticDescriptor ExchangeSettingImmutable = new(
        "MIG1105", DiagnosticSeverity.Error, "Setting of an existing batch or endpoint cannot change",
        "{0} already exists with {1} = '{2}'; the plan asks for '{3}', which Exchange Online cannot change on an existing {4}");

    public static readonly DiagnosticDescriptor ExchangeBatchFailed = new(
        "MIG1106", DiagnosticSeverity.Error, "Migration batch failed",
        "migration batch {0} is {1}: {2}");

    public static readonly DiagnosticDescriptor ExchangeUsersFailed = new(
        "MIG1107", DiagnosticSeverity.Error, "Users of a migration batch failed",
        "{0} of {1} users of migration batch {2} failed: {3}");

    public static readonly DiagnosticDescriptor ExchangeStillRunning = new(
        "MIG1108", DiagnosticSeverity.Warning, "Migration batch still running",
        "migration batch {0} is {1}; {2}");

    public static readonly DiagnosticDescriptor ExchangeUnsupported = new(
        "MIG1109", DiagnosticSeverity.Error, "Not supported by Exchange Online migration batches",
        "migration {0} ({1}): {2}");

    public static readonly DiagnosticDescriptor ExchangeUsersNotRemoved = new(
        "MIG1110", DiagnosticSeverity.Warning, "Users left in a migration batch",
        "migration batch {0} has {1} user(s) the plan no longer lists ({2}); they are left in the batch");

    public static readonly DiagnosticDescriptor ExchangeSecretUnavailable = new(
        "MIG1111", DiagnosticSeverity.Error, "Secret for Exchange Online unavailable",
        "migration {0}: {1}");

    public static readonly DiagnosticDescriptor PstFileProblem = new(
        "MIG1120", DiagnosticSeverity.Error, "PST file cannot be imported",
        "PST file {0} for mailbox {1}: {2}");

    public static readonly DiagnosticDescriptor PstMailboxProblem = new(
        "MIG1121", DiagnosticSeverity.Error, "PST import mailbox invalid",
        "PST import target mailbox {0}: {1}");

    public static readonly DiagnosticDescriptor PstImportReady = new(
        "MIG1122", DiagnosticSeverity.Info, "PST import mapping ready",
        "PST Import Service mapping for {0} file(s) written to {1}; upload the files with: {2}; then create the import job from the mapping file in the Microsoft Purview portal");

    public static readonly DiagnosticDescriptor PstFolderRuleIgnored = new(
        "MIG1123", DiagnosticSeverity.Warning, "Folder rule not supported by the PST Import Service",
        "migration {0}: {1}");

    public static readonly DiagnosticDescriptor ExchangeUnknownStatus = new(
        "MIG1130", DiagnosticSeverity.Error, "Status not in the Exchange Online references",
        "migration batch {0}: {1} has status '{2}', which the Exchange Online references do not list; apply stops instead of guessing what it means");

    public static readonly DiagnosticDescriptor ExchangeSkippedItemsAwaitApproval = new(
        "MIG1131", DiagnosticSeverity.Error, "Skipped items await approval",
        "migration batch {0} cannot complete until skipped items are approved (Data Consistency Score): {1}");

    public static readonly DiagnosticDescriptor ExchangeDataLossPoor = new(
        "MIG1132", DiagnosticSeverity.Error, "Data Consistency Score Poor",
        "migration batch {0}: {1} graded Poor by the Data Consistency Score (major data loss); skipped items graded Poor cannot be approved");

    public static readonly DiagnosticDescriptor ExchangeSkippedItemsApproved = new(
        "MIG1133", DiagnosticSeverity.Info, "Skipped items approved",
        "migration batch {0}: skipped items approved as the plan records: {1}");

    public static readonly DiagnosticDescriptor ExchangeBatchRemovedByService = new(
        "MIG1134", DiagnosticSeverity.Warning, "Migration batch removed by Exchange Online",
        "migration batch {0} was {1} in an earlier apply and Exchange Online no longer has it; {2}");

    public static readonly DiagnosticDescriptor ExchangeCsvTooLarge = new(
        "MIG1135", DiagnosticSeverity.Error, "Migration CSV larger than 10 MB",
        "the migration CSV of batch {0} is {1:N0} bytes; Exchange Online takes at most 10 MB");

    public static readonly DiagnosticDescriptor PstNameNotUnique = new(
        "MIG1136", DiagnosticSeverity.Error, "PST file name not unique in the import job",
        "PST file name {0} is used by {1} and {2}; file names must be unique within a PST import job");
}

public static partial class Diagnose
{
    public static Diagnostic ExchangeModuleMissing(SourceLocation at, string migration, string searchedPaths, string? hint = null) =>
        DiagnosticCatalog.ExchangeModuleMissing.Create(at, hint, migration, searchedPaths);

    public static Diagnostic ExchangeSettingMissing(SourceLocation at, string migration, string problem, string? hint = null) =>
        DiagnosticCatalog.ExchangeSettingMissing.Create(at, hint, migration, problem);

    public static Diagnostic ExchangeConnectFailed(SourceLocation at, string applicationId, string organization, string reason, string? hint = null) =>
        DiagnosticCatalog.ExchangeConnectFailed.Create(at, hint, applicationId, organization, reason);

    public static Diagnostic ExchangeCommandFailed(SourceLocation at, string command, string subject, string reason, string? hint = null) =>
        DiagnosticCatalog.ExchangeCommandFailed.Create(at, hint, command, subject, reason);

    public static Diagnostic ExchangeSettingImmutable(SourceLocation at, string existing, string setting, string? actual, string? planned, string objectKind, string? hint = null) =>
        DiagnosticCatalog.ExchangeSettingImmutable.Create(at, hint, existing, setting, actual, planned, objectKind);

    public static Diagnostic ExchangeBatchFailed(SourceLocation at, string batch, string status, string reason, string? hint = null) =>
        DiagnosticCatalog.ExchangeBatchFailed.Create(at, hint, batch, status, reason);

    public static Diagnostic ExchangeUsersFailed(SourceLocation at, int failedUsers, int users, string batch, string failures, string? hint = null) =>
        DiagnosticCatalog.ExchangeUsersFailed.Create(at, hint, failedUsers, users, batch, failures);

    public static Diagnostic ExchangeStillRunning(SourceLocation at, string batch, string status, string outlook, string? hint = null) =>
        DiagnosticCatalog.ExchangeStillRunning.Create(at, hint, batch, status, outlook);

    public static Diagnostic ExchangeUnsupported(SourceLocation at, string migration, string migrationType, string reason, string? hint = null) =>
        DiagnosticCatalog.ExchangeUnsupported.Create(at, hint, migration, migrationType, reason);

    public static Diagnostic ExchangeUsersNotRemoved(SourceLocation at, string batch, int extraUsers, string examples, string? hint = null) =>
        DiagnosticCatalog.ExchangeUsersNotRemoved.Create(at, hint, batch, extraUsers, examples);

    public static Diagnostic ExchangeSecretUnavailable(SourceLocation at, string migration, string reason, string? hint = null) =>
        DiagnosticCatalog.ExchangeSecretUnavailable.Create(at, hint, migration, reason);

    public static Diagnostic PstFileProblem(SourceLocation at, string pstFile, string mailbox, string problem, string? hint = null) =>
        DiagnosticCatalog.PstFileProblem.Create(at, hint, pstFile, mailbox, problem);

    public static Diagnostic PstMailboxProblem(SourceLocation at, string mailbox, string problem, string? hint = null) =>
        DiagnosticCatalog.PstMailboxProblem.Create(at, hint, mailbox, problem);

    public static Diagnostic PstImportReady(SourceLocation at, int files, string mappingFiles, string uploadCommand, string? hint = null) =>
        DiagnosticCatalog.PstImportReady.Create(at, hint, files, mappingFiles, uploadCommand);

    public static Diagnostic PstFolderRuleIgnored(SourceLocation at, string migration, string problem, string? hint = null) =>
        DiagnosticCatalog.PstFolderRuleIgnored.Create(at, hint, migration, problem);

    public static Diagnostic ExchangeUnknownStatus(SourceLocation at, string batch, string subject, string status, string? hint = null) =>
        DiagnosticCatalog.ExchangeUnknownStatus.Create(at, hint, batch, subject, status);

    public static Diagnostic ExchangeSkippedItemsAwaitApproval(SourceLocation at, string batch, string pendingUsers, string? hint = null) =>
        DiagnosticCatalog.ExchangeSkippedItemsAwaitApproval.Create(at, hint, batch, pendingUsers);

    public static Diagnostic ExchangeDataLossPoor(SourceLocation at, string batch, string poorUsers, string? hint = null) =>
        DiagnosticCatalog.ExchangeDataLossPoor.Create(at, hint, batch, poorUsers);

    public static Diagnostic ExchangeSkippedItemsApproved(SourceLocation at, string batch, string approvals, string? hint = null) =>
        DiagnosticCatalog.ExchangeSkippedItemsApproved.Create(at, hint, batch, approvals);

    public static Diagnostic ExchangeBatchRemovedByService(SourceLocation at, string batch, string lastState, string consequence, string? hint = null) =>
        DiagnosticCatalog.ExchangeBatchRemovedByService.Create(at, hint, batch, lastState, consequence);

    public static Diagnostic ExchangeCsvTooLarge(SourceLocation at, string batch, long bytes, string? hint = null) =>
        DiagnosticCatalog.ExchangeCsvTooLarge.Create(at, hint, batch, bytes);

    public static Diagnostic PstNameNotUnique(SourceLocation at, string fileName, string firstPath, string otherPath, string? hint = null) =>
        DiagnosticCatalog.PstNameNotUnique.Create(at, hint, fileName, firstPath, otherPath);
}

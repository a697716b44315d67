namespace MigrationEngine.Core.Diagnostics;

public static partial class Diagnose
{
    /// <param name="at">Where the parser stopped.</param>
    /// <param name="parserDetail">What the YAML parser said, without its position prefix (never a line of the file).</param>
    /// <param name="hint">What to look for.</param>
    public static Diagnostic YamlSyntax(SourceLocation at, string parserDetail, string? hint = null) =>
        DiagnosticCatalog.YamlSyntax.Create(at, hint, parserDetail);

    public static Diagnostic DuplicateKey(SourceLocation at, string key, int firstLine, string? hint = null) =>
        DiagnosticCatalog.DuplicateKey.Create(at, hint, key, firstLine);

    public static Diagnostic TabIndentation(SourceLocation at, string? hint = null) =>
        DiagnosticCatalog.TabIndentation.Create(at, hint);

    public static Diagnostic AliasNotAllowed(SourceLocation at, string alias, string? hint = null) =>
        DiagnosticCatalog.AliasNotAllowed.Create(at, hint, alias);

    public static Diagnostic EmptyFile(SourceLocation at, string? hint = null) =>
        DiagnosticCatalog.EmptyFile.Create(at, hint);

    public static Diagnostic ByteOrderMark(SourceLocation at, string? hint = null) =>
        DiagnosticCatalog.ByteOrderMark.Create(at, hint);

    public static Diagnostic NotUtf8(SourceLocation at, int invalidByte, long offset, string? hint = null) =>
        DiagnosticCatalog.NotUtf8.Create(at, hint, invalidByte, offset);

    public static Diagnostic FileTooLarge(SourceLocation at, long bytes, long maxBytes, string? hint = null) =>
        DiagnosticCatalog.FileTooLarge.Create(at, hint, bytes, maxBytes);

    public static Diagnostic NestingTooDeep(SourceLocation at, int maxDepth, string? hint = null) =>
        DiagnosticCatalog.NestingTooDeep.Create(at, hint, maxDepth);

    public static Diagnostic MultipleDocuments(SourceLocation at, string? hint = null) =>
        DiagnosticCatalog.MultipleDocuments.Create(at, hint);

    /// <param name="at">The plan file.</param>
    /// <param name="fileSystemError">Why it cannot be read: the operating system's message (it names the path), never the file's text.</param>
    /// <param name="hint">What to check.</param>
    public static Diagnostic FileUnreadable(SourceLocation at, string fileSystemError, string? hint = null) =>
        DiagnosticCatalog.FileUnreadable.Create(at, hint, fileSystemError);

    public static Diagnostic RootNotMapping(SourceLocation at, string? hint = null) =>
        DiagnosticCatalog.RootNotMapping.Create(at, hint);

    public static Diagnostic TagNotAllowed(SourceLocation at, string tag, string? hint = null) =>
        DiagnosticCatalog.TagNotAllowed.Create(at, hint, tag);

    public static Diagnostic NonStringKey(SourceLocation at, string? hint = null) =>
        DiagnosticCatalog.NonStringKey.Create(at, hint);

    public static Diagnostic CommentPlacement(SourceLocation at, string? hint = null) =>
        DiagnosticCatalog.CommentPlacement.Create(at, hint);

    public static Diagnostic UnknownProperty(SourceLocation at, string property, string where, string? hint = null) =>
        DiagnosticCatalog.UnknownProperty.Create(at, hint, property, where);

    public static Diagnostic MissingProperty(SourceLocation at, string? property, string where, string? hint = null) =>
        DiagnosticCatalog.MissingProperty.Create(at, hint, property, where);

    public static Diagnostic WrongType(SourceLocation at, string path, string expected, string? hint = null) =>
        DiagnosticCatalog.WrongType.Create(at, hint, path, expected);

    public static Diagnostic NotInEnum(SourceLocation at, string value, string path, string allowed, string? hint = null) =>
        DiagnosticCatalog.NotInEnum.Create(at, hint, value, path, allowed);

    public static Diagnostic PatternMismatch(SourceLocation at, string value, string path, string rule, string? hint = null) =>
        DiagnosticCatalog.PatternMismatch.Create(at, hint, value, path, rule);

    public static Diagnostic UnknownApiVersion(SourceLocation at, string apiVersion, string knownVersions, string? hint = null) =>
        DiagnosticCatalog.UnknownApiVersion.Create(at, hint, apiVersion, knownVersions);

    public static Diagnostic UnknownKind(SourceLocation at, string kind, string? hint = null) =>
        DiagnosticCatalog.UnknownKind.Create(at, hint, kind);

    public static Diagnostic UnknownEndpointType(SourceLocation at, string role, string endpointType, string knownTypes, string? hint = null) =>
        DiagnosticCatalog.UnknownEndpointType.Create(at, hint, role, endpointType, knownTypes);

    public static Diagnostic OutOfRange(SourceLocation at, string path, string range, string? hint = null) =>
        DiagnosticCatalog.OutOfRange.Create(at, hint, path, range);

    public static Diagnostic TooFewItems(SourceLocation at, string path, long minimum, string? hint = null) =>
        DiagnosticCatalog.TooFewItems.Create(at, hint, path, minimum);

    public static Diagnostic SchemaViolation(SourceLocation at, string path, string rule, string? hint = null) =>
        DiagnosticCatalog.SchemaViolation.Create(at, hint, path, rule);

    public static Diagnostic MailboxSetShape(SourceLocation at, string mailboxSet, string? hint = null) =>
        DiagnosticCatalog.MailboxSetShape.Create(at, hint, mailboxSet);

    public static Diagnostic DuplicateItems(SourceLocation at, string list, string? hint = null) =>
        DiagnosticCatalog.DuplicateItems.Create(at, hint, list);

    public static Diagnostic UnknownSource(SourceLocation at, string migration, string source, string? hint = null) =>
        DiagnosticCatalog.UnknownSource.Create(at, hint, migration, source);

    public static Diagnostic UnknownTarget(SourceLocation at, string migration, string target, string? hint = null) =>
        DiagnosticCatalog.UnknownTarget.Create(at, hint, migration, target);

    public static Diagnostic UnknownMailboxSet(SourceLocation at, string migration, string mailboxSet, string? hint = null) =>
        DiagnosticCatalog.UnknownMailboxSet.Create(at, hint, migration, mailboxSet);

    public static Diagnostic UnknownDependency(SourceLocation at, string migration, string dependency, string? hint = null) =>
        DiagnosticCatalog.UnknownDependency.Create(at, hint, migration, dependency);

    public static Diagnostic DuplicateMigrationName(SourceLocation at, string migration, int firstLine, string? hint = null) =>
        DiagnosticCatalog.DuplicateMigrationName.Create(at, hint, migration, firstLine);

    public static Diagnostic DependencyCycle(SourceLocation at, string cycle, string? hint = null) =>
        DiagnosticCatalog.DependencyCycle.Create(at, hint, cycle);

    public static Diagnostic SourceTypeMismatch(SourceLocation at, string migrationType, string source, string sourceType, string neededTypes, string? hint = null) =>
        DiagnosticCatalog.SourceTypeMismatch.Create(at, hint, migrationType, source, sourceType, neededTypes);

    public static Diagnostic TargetTypeMismatch(SourceLocation at, string migrationType, string target, string targetType, string neededTypes, string? hint = null) =>
        DiagnosticCatalog.TargetTypeMismatch.Create(at, hint, migrationType, target, targetType, neededTypes);

    public static Diagnostic MailboxInTwoSets(SourceLocation at, string mailbox, string firstSet, string secondSet, string migration, string? hint = null) =>
        DiagnosticCatalog.MailboxInTwoSets.Create(at, hint, mailbox, firstSet, secondSet, migration);

    public static Diagnostic TargetFromTwoSources(SourceLocation at, string mailbox, string firstSource, string secondSource, string? hint = null) =>
        DiagnosticCatalog.TargetFromTwoSources.Create(at, hint, mailbox, firstSource, secondSource);

    public static Diagnostic ImapMovesMailOnly(SourceLocation at, string migration, string? hint = null) =>
        DiagnosticCatalog.ImapMovesMailOnly.Create(at, hint, migration);

    public static Diagnostic CutoverSourceVersion(SourceLocation at, string migration, string source, int exchangeVersion, string? hint = null) =>
        DiagnosticCatalog.CutoverSourceVersion.Create(at, hint, migration, source, exchangeVersion);

    public static Diagnostic CutoverTooManyMailboxes(SourceLocation at, string migration, long mailboxes, string? hint = null) =>
        DiagnosticCatalog.CutoverTooManyMailboxes.Create(at, hint, migration, mailboxes);

    public static Diagnostic CutoverManyMailboxes(SourceLocation at, string migration, long mailboxes, string? hint = null) =>
        DiagnosticCatalog.CutoverManyMailboxes.Create(at, hint, migration, mailboxes);

    public static Diagnostic StagedSourceVersion(SourceLocation at, string migration, string source, int exchangeVersion, string? hint = null) =>
        DiagnosticCatalog.StagedSourceVersion.Create(at, hint, migration, source, exchangeVersion);

    public static Diagnostic HybridSourceVersion(SourceLocation at, string migration, string source, int exchangeVersion, string? hint = null) =>
        DiagnosticCatalog.HybridSourceVersion.Create(at, hint, migration, source, exchangeVersion);

    public static Diagnostic MessageSizeAboveDefault(SourceLocation at, string maxMessageSize, string target, string? hint = null) =>
        DiagnosticCatalog.MessageSizeAboveDefault.Create(at, hint, maxMessageSize, target);

    public static Diagnostic MessageSizeAboveMaximum(SourceLocation at, string maxMessageSize, string target, string? hint = null) =>
        DiagnosticCatalog.MessageSizeAboveMaximum.Create(at, hint, maxMessageSize, target);

    public static Diagnostic InsecureTls(SourceLocation at, string endpoint, string? hint = null) =>
        DiagnosticCatalog.InsecureTls.Create(at, hint, endpoint);

    public static Diagnostic InvalidEmail(SourceLocation at, string address, string? hint = null) =>
        DiagnosticCatalog.InvalidEmail.Create(at, hint, address);

    public static Diagnostic SinceAfterBefore(SourceLocation at, string since, string before, string? hint = null) =>
        DiagnosticCatalog.SinceAfterBefore.Create(at, hint, since, before);

    public static Diagnostic DuplicateMailbox(SourceLocation at, string mailbox, string mailboxSet, string firstAt, string? hint = null) =>
        DiagnosticCatalog.DuplicateMailbox.Create(at, hint, mailbox, mailboxSet, firstAt);

    public static Diagnostic EngineExchangeNeedsImap(SourceLocation at, string migration, string? hint = null) =>
        DiagnosticCatalog.EngineExchangeNeedsImap.Create(at, hint, migration);

    public static Diagnostic GraphCredentials(SourceLocation at, string target, string? hint = null) =>
        DiagnosticCatalog.GraphCredentials.Create(at, hint, target);

    public static Diagnostic AuthIncomplete(SourceLocation at, string mechanism, string endpoint, string missing, string? hint = null) =>
        DiagnosticCatalog.AuthIncomplete.Create(at, hint, mechanism, endpoint, missing);

    public static Diagnostic CompleteBeforeStart(SourceLocation at, string completeAfter, string startAfter, string? hint = null) =>
        DiagnosticCatalog.CompleteBeforeStart.Create(at, hint, completeAfter, startAfter);

    public static Diagnostic NoMailboxes(SourceLocation at, string migration, string? hint = null) =>
        DiagnosticCatalog.NoMailboxes.Create(at, hint, migration);

    public static Diagnostic GmailArchiveExcluded(SourceLocation at, string migration, string? hint = null) =>
        DiagnosticCatalog.GmailArchiveExcluded.Create(at, hint, migration);

    public static Diagnostic CsvMissing(SourceLocation at, string csvFile, string? hint = null) =>
        DiagnosticCatalog.CsvMissing.Create(at, hint, csvFile);

    public static Diagnostic CsvWrongHeader(SourceLocation at, string migrationType, string requiredColumns, string missingColumns, string? hint = null) =>
        DiagnosticCatalog.CsvWrongHeader.Create(at, hint, migrationType, requiredColumns, missingColumns);

    public static Diagnostic CsvFieldCount(SourceLocation at, int fields, int headerFields, string? hint = null) =>
        DiagnosticCatalog.CsvFieldCount.Create(at, hint, fields, headerFields);

    public static Diagnostic CsvEmptyField(SourceLocation at, string column, string? hint = null) =>
        DiagnosticCatalog.CsvEmptyField.Create(at, hint, column);

    public static Diagnostic CsvInvalidEmail(SourceLocation at, string value, string column, string? hint = null) =>
        DiagnosticCatalog.CsvInvalidEmail.Create(at, hint, value, column);

    public static Diagnostic CsvTooManyRows(SourceLocation at, long rows, string? hint = null) =>
        DiagnosticCatalog.CsvTooManyRows.Create(at, hint, rows);

    public static Diagnostic CsvEmpty(SourceLocation at, string? hint = null) =>
        DiagnosticCatalog.CsvEmpty.Create(at, hint);

    public static Diagnostic CsvBadBoolean(SourceLocation at, string value, string? hint = null) =>
        DiagnosticCatalog.CsvBadBoolean.Create(at, hint, value);

    public static Diagnostic CsvDuplicateColumn(SourceLocation at, string column, string? hint = null) =>
        DiagnosticCatalog.CsvDuplicateColumn.Create(at, hint, column);

    public static Diagnostic CsvUnknownColumn(SourceLocation at, string column, string suggestion, string? hint = null) =>
        DiagnosticCatalog.CsvUnknownColumn.Create(at, hint, column, suggestion);

    /// <param name="at">The CSV file, or the row that cannot be read.</param>
    /// <param name="readerDetail">Why, in the engine's words: never CsvHelper's message, which quotes the raw row (a password).</param>
    /// <param name="hint">What to do about it.</param>
    public static Diagnostic CsvUnreadable(SourceLocation at, string readerDetail, string? hint = null) =>
        DiagnosticCatalog.CsvUnreadable.Create(at, hint, readerDetail);

    public static Diagnostic LiteralSecret(SourceLocation at, string path, string? hint = null) =>
        DiagnosticCatalog.LiteralSecret.Create(at, hint, path);

    public static Diagnostic LiteralCsvPassword(SourceLocation at, string csvFile, long rows, int firstRow, string? hint = null) =>
        DiagnosticCatalog.LiteralCsvPassword.Create(at, hint, csvFile, rows, firstRow);

    public static Diagnostic EmptySecretReference(SourceLocation at, string reference, string? hint = null) =>
        DiagnosticCatalog.EmptySecretReference.Create(at, hint, reference);

    public static Diagnostic PlaintextSecretsAllowed(SourceLocation at, string? hint = null) =>
        DiagnosticCatalog.PlaintextSecretsAllowed.Create(at, hint);
}

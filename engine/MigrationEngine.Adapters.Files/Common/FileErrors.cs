using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Common;

/// <summary>Builds the MigrationExceptions of the file adapters: the diagnostic names the file, never a secret.</summary>
internal static class FileErrors
{
    public static MigrationException Fail(DiagnosticDescriptor descriptor, string file, string? hint, params object?[] args) =>
        new(descriptor.Create(SourceLocation.None(file), hint, args));

    public static MigrationException Fail(DiagnosticDescriptor descriptor, SourceLocation location, string? hint, params object?[] args) =>
        new(descriptor.Create(location, hint, args));

    public static MigrationException ReadFailed(string file, Exception error) =>
        new(DiagnosticCatalog.FileReadFailed.Create(SourceLocation.None(file), null, file, error.Message), error);

    public static MigrationException WriteFailed(string file, Exception error) =>
        new(DiagnosticCatalog.MaildirWriteFailed.Create(SourceLocation.None(file), null, file, error.Message), error);
}

using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Files.Common;

/// <summary>Builds the MigrationExceptions of the file adapters: the diagnostic names the file, never a secret.</summary>
internal static class FileErrors
{
    public static MigrationException ReadFailed(string file, Exception error) =>
        new(Diagnose.FileReadFailed(SourceLocation.None(file), file, error.Message), error);

    public static MigrationException WriteFailed(string file, Exception error) =>
        new(Diagnose.MaildirWriteFailed(SourceLocation.None(file), file, error.Message), error);
}

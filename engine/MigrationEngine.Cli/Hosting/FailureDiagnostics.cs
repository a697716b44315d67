using Microsoft.Data.Sqlite;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Hosting;

/// <summary>
/// The last line of defence of every command: a failure that escaped the command's own handling is printed as one
/// coded diagnostic, never a stack trace. A damaged state database is the likely case (a disk or copy error, a file
/// edited by hand) and gets the ways out; a file the system refused (a full disk, a folder without write permission) says
/// so; anything else is reported as an internal error to file.
/// </summary>
internal static class FailureDiagnostics
{
    private const string StateAdvice =
        "restore the state file from a backup; or open a copy with 'migrate state export' and import the export into a new state; " +
        "or move the damaged file away and run apply again: every message is checked against the target before it is copied, so nothing is duplicated";

    /// <summary>The diagnostic for <paramref name="exception"/>, or null for a cancellation (handled by the commands).</summary>
    public static Diagnostic? Describe(Exception exception)
    {
        if (exception is OperationCanceledException)
        {
            return null;
        }

        var state = Find<StateStoreException>(exception);
        if (state is not null)
        {
            return Diagnose.StateDamaged(SourceLocation.None("state"), state.Message, hint: state.Hint ?? StateAdvice);
        }

        var sqlite = Find<SqliteException>(exception);
        if (sqlite is not null)
        {
            return Diagnose.StateDamaged(SourceLocation.None("state"), $"SQLite error {sqlite.SqliteErrorCode}: {Quote.Cell(sqlite.Message)}",
                hint: StateAdvice);
        }

        // The file system refused one of the engine's own files (the run log, a report, the plan's .migrate folder): a full
        // disk or a folder the user cannot write is the environment, not a bug. The message names the path.
        if ((Find<IOException>(exception) ?? (Exception?)Find<UnauthorizedAccessException>(exception)) is { } file)
        {
            return Diagnose.LocalFileFailure(SourceLocation.None("migrate"), Quote.Cell(file.Message),
                hint: "check the free space and the permissions of the folder it names, then run the command again: what was recorded is kept, and every message is checked against the target before it is copied");
        }

        return Diagnose.InternalFailure(SourceLocation.None("migrate"),
            exception.GetType().Name, Quote.Cell(exception.Message),
                hint: "this is a bug in the engine: please report it with the command line; what was recorded is kept, so the command can run again");
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }

            if (current is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                return aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(e => e is not null);
            }
        }

        return null;
    }
}

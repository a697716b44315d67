using Microsoft.Data.Sqlite;
using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite;

/// <summary>Turns SQLite failures into messages that name the file and say what to do, without SQLite internals leaking to callers.</summary>
internal static class StateStoreMessages
{
    // Result codes from sqlite3.h (primary codes; extended codes carry them in the low byte).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqlitePermission = 3;
    private const int SqliteNotADatabase = 26;

    public static string MoveAwayAdvice(string databasePath) =>
        $"Move the file away (for example to '{databasePath}.broken') and run again: a new state database is created and every message is checked against the target before it is copied, so nothing is duplicated; only the progress history is lost.";

    public static StateStoreException Translate(string databasePath, SqliteException exception)
    {
        var cause = exception.SqliteErrorCode & 0xFF;
        var detail = exception.Message;
        var message = cause switch
        {
            SqliteCorrupt or SqliteNotADatabase =>
                $"state database '{databasePath}' is damaged ({detail}). {MoveAwayAdvice(databasePath)}",
            SqliteBusy or SqliteLocked =>
                $"state database '{databasePath}' stayed locked by another process for too long ({detail}). Check that no other run uses the same state file, then run again.",
            SqliteReadOnly or SqlitePermission =>
                $"state database '{databasePath}' cannot be written ({detail}). Check the permissions of the file and of its folder.",
            SqliteCantOpen =>
                $"state database '{databasePath}' cannot be opened ({detail}). Check that the folder exists and is writable.",
            SqliteFull =>
                $"state database '{databasePath}' cannot grow: the disk is full ({detail}). Free some space and run again; the run resumes where it stopped.",
            SqliteIoError =>
                $"state database '{databasePath}' could not be read or written ({detail}). Check the disk and the file, then run again.",
            _ => $"state database '{databasePath}' failed ({detail}).",
        };
        return new StateStoreException(message, exception);
    }
}

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

    /// <summary>
    /// The message says what failed; the hint says what to do. A lock, a permission, a full disk or an I/O error leaves the
    /// file sound (every write is a transaction), so their hints say to run again rather than to restore a backup, which
    /// is the general advice for a damaged state (null hint).
    /// </summary>
    public static StateStoreException Translate(string databasePath, SqliteException exception)
    {
        var cause = exception.SqliteErrorCode & 0xFF;
        var detail = exception.Message;
        var (message, hint) = cause switch
        {
            SqliteCorrupt or SqliteNotADatabase =>
                ($"state database '{databasePath}' is damaged ({detail}). {MoveAwayAdvice(databasePath)}", null),
            SqliteBusy or SqliteLocked =>
                ($"state database '{databasePath}' stayed locked by another process for too long ({detail}).",
                 "check that no other program (a sqlite3 shell, a copying tool) keeps a transaction open on the state file, then run the command again: " + StateStoreException.RunAgainIsSafe),
            SqliteReadOnly or SqlitePermission =>
                ($"state database '{databasePath}' cannot be written ({detail}).",
                 "let the user running migrate write the file and its folder (SQLite writes a -wal and a -shm file beside it), then run the command again: " + StateStoreException.RunAgainIsSafe),
            SqliteCantOpen =>
                ($"state database '{databasePath}' cannot be opened ({detail}).",
                 "check that the folder exists and is writable, then run the command again"),
            SqliteFull =>
                ($"state database '{databasePath}' cannot grow: the disk is full ({detail}).",
                 "free some space and run the command again; the run resumes where it stopped: " + StateStoreException.RunAgainIsSafe),
            SqliteIoError =>
                ($"state database '{databasePath}' could not be read or written ({detail}).",
                 "check the disk (the system log names the device's errors), then run the command again: " + StateStoreException.RunAgainIsSafe),
            _ => ($"state database '{databasePath}' failed ({detail}).", (string?)null),
        };
        return new StateStoreException(message, exception, hint);
    }
}

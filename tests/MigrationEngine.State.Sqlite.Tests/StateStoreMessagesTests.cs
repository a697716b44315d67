using Microsoft.Data.Sqlite;

namespace MigrationEngine.State.Sqlite.Tests;

/// <summary>
/// What a SQLite failure tells the user: the message names the file and the cause; the hint says what to do, and only a
/// damaged file leaves the hint to the general advice (restore a backup), since a lock or a full disk leaves the file sound.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StateStoreMessagesTests
{
    private const string Path = "/srv/migrate/state.db";

    [Theory]
    [InlineData(5, 5, "stayed locked", "no other program")]          // SQLITE_BUSY
    [InlineData(6, 6, "stayed locked", "no other program")]          // SQLITE_LOCKED
    [InlineData(8, 8, "cannot be written", "write the file and its folder")]  // SQLITE_READONLY
    [InlineData(3, 3, "cannot be written", "write the file and its folder")]  // SQLITE_PERM
    [InlineData(13, 13, "disk is full", "free some space")]          // SQLITE_FULL
    [InlineData(10, 778, "could not be read or written", "check the disk")]  // SQLITE_IOERR_WRITE: extended code, primary in the low byte
    [InlineData(14, 14, "cannot be opened", "folder exists")]        // SQLITE_CANTOPEN
    public void A_failure_that_leaves_the_file_sound_says_what_to_do_and_to_run_again(int code, int extended, string cause, string remedy)
    {
        var translated = StateStoreMessages.Translate(Path, new SqliteException("SQLite said no", code, extended));

        Assert.Contains(Path, translated.Message, StringComparison.Ordinal);
        Assert.Contains(cause, translated.Message, StringComparison.Ordinal);
        Assert.Contains("SQLite said no", translated.Message, StringComparison.Ordinal);
        Assert.NotNull(translated.Hint);
        Assert.Contains(remedy, translated.Hint, StringComparison.Ordinal);
        Assert.Contains("run the command again", translated.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("from a backup", translated.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("from a backup", translated.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(11)] // SQLITE_CORRUPT
    [InlineData(26)] // SQLITE_NOTADB
    public void A_damaged_file_has_no_hint_of_its_own_so_the_advice_for_a_damaged_state_applies(int code)
    {
        var translated = StateStoreMessages.Translate(Path, new SqliteException("database disk image is malformed", code, code));

        Assert.Null(translated.Hint);
        Assert.Contains("is damaged", translated.Message, StringComparison.Ordinal);
        Assert.Contains(Path + ".broken", translated.Message, StringComparison.Ordinal);
    }
}

using System.Buffers.Binary;
using System.Text;
using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite;

/// <summary>
/// Looks at the raw file before SQLite opens it. SQLite reads pages lazily, so a file with random bytes or a
/// truncated file would otherwise only fail later, in the middle of a migration; checking the 100-byte header
/// costs one small read and turns those cases into a clear message at open time.
/// </summary>
internal static class DatabaseFileInspector
{
    private const int HeaderLength = 100;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("SQLite format 3\0");

    public static void ThrowIfUnusable(string databasePath)
    {
        var file = new FileInfo(databasePath);
        if (!file.Exists)
        {
            if (Directory.Exists(databasePath))
            {
                throw new StateStoreException(
                    $"state database '{databasePath}' is a folder, not a file. Point the state path at a file (for example '{Path.Combine(databasePath, "state.db")}').");
            }

            return;
        }

        // SQLite treats an empty file as a new, empty database.
        if (file.Length == 0)
        {
            return;
        }

        var header = new byte[HeaderLength];
        int read;
        try
        {
            using var stream = new FileStream(databasePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreException($"state database '{databasePath}' cannot be read: {ex.Message}", ex);
        }

        if (read < HeaderLength || !header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new StateStoreException(
                $"state database '{databasePath}' is not a SQLite database (its first bytes are not a SQLite header); it is damaged or is another kind of file. "
                + StateStoreMessages.MoveAwayAdvice(databasePath));
        }

        var pageSize = ReadPageSize(header);
        var changeCounter = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24, 4));
        var pageCount = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28, 4));
        var versionValidFor = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(92, 4));

        // With a non-empty write-ahead log the file may legitimately lag behind its header (a checkpoint was cut
        // short by a kill); SQLite replays the log on open, so the size check only applies when there is none.
        var walFile = new FileInfo(databasePath + "-wal");
        var logPending = walFile.Exists && walFile.Length > 0;
        var headerSizeValid = pageCount > 0 && changeCounter == versionValidFor;
        if (!logPending && headerSizeValid && pageSize > 0)
        {
            // Measured after the header and the log were looked at: another process may have just checkpointed and
            // removed its log, and then the header read above can only describe the file as it is now or smaller.
            file.Refresh();
            var expected = (long)pageCount * pageSize;
            if (file.Exists && file.Length < expected)
            {
                throw new StateStoreException(
                    $"state database '{databasePath}' is truncated: the file has {file.Length} bytes but its header describes {expected} bytes. "
                    + StateStoreMessages.MoveAwayAdvice(databasePath));
            }
        }
    }

    private static int ReadPageSize(byte[] header)
    {
        var raw = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16, 2));
        var pageSize = raw == 1 ? 65536 : raw;
        // A valid page size is a power of two between 512 and 65536; anything else is a damaged header.
        return pageSize >= 512 && (pageSize & (pageSize - 1)) == 0 ? pageSize : 0;
    }
}

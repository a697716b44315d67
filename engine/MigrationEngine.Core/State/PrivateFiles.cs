namespace MigrationEngine.Core.State;

/// <summary>
/// Files that may hold what a migration knows (state, logs, exports, reports: mailbox addresses, folder names,
/// errors) are readable by their owner only: folders 0700, files 0600, whatever the umask.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="folder"/> (and missing parents) 0700; an existing <c>.migrate</c> folder is tightened to 0700.</summary>
    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        var missing = new Stack<string>();
        for (var current = Path.GetFullPath(folder); !Directory.Exists(current); current = Path.GetDirectoryName(current)!)
        {
            missing.Push(current);
            if (Path.GetDirectoryName(current) is null)
            {
                break;
            }
        }

        foreach (var path in missing)
        {
            Directory.CreateDirectory(path, FolderMode);
        }

        for (var current = Path.GetFullPath(folder); current is not null; current = Path.GetDirectoryName(current))
        {
            if (Path.GetFileName(current) == ".migrate")
            {
                File.SetUnixFileMode(current, FolderMode);
                break;
            }
        }
    }

    /// <summary>Options for a new file created 0600.</summary>
    public static FileStreamOptions CreateOptions(FileMode mode = System.IO.FileMode.Create)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>Creates an empty file 0600 unless it exists (SQLite then keeps that mode for its -wal and -shm files).</summary>
    public static void Touch(string path)
    {
        try
        {
            using var stream = new FileStream(path, CreateOptions(System.IO.FileMode.CreateNew));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process (a concurrent apply of the same plan) created it between our check and this create:
            // "unless it exists" holds, and that process's file is the one to open.
        }
    }
}

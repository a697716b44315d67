namespace MigrationEngine.TestSupport;

/// <summary>
/// A folder of the test's own under the system temp folder (created with <see cref="Directory.CreateTempSubdirectory(string?)"/>:
/// a fresh name, readable by this user only), deleted with everything in it on <see cref="Dispose"/>. Deleting is robust to
/// what tests leave behind: read-only files and folders are made writable first, and a folder that still cannot be removed
/// is left to the system rather than failing the test.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    /// <param name="prefix">The start of the folder's name, to tell which tests left a folder behind.</param>
    public TempDirectory(string prefix = "me-test")
    {
        Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Creates a subfolder (and its parents) and returns its path.</summary>
    public string CreateFolder(params string[] parts) => Directory.CreateDirectory(Combine(parts)).FullName;

    public override string ToString() => Path;

    public void Dispose() => Delete(Path);

    /// <summary>Deletes a folder and everything in it, read-only entries too; a folder that is gone already is fine.</summary>
    public static void Delete(string path)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                MakeWritable(path);
                Thread.Sleep(50 * attempt);
            }
        }
    }

    private static void MakeWritable(string path)
    {
        try
        {
            foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }).Prepend(new DirectoryInfo(path)))
            {
                if (entry.LinkTarget is not null)
                {
                    continue;
                }

                entry.Attributes &= ~FileAttributes.ReadOnly;
                if (!OperatingSystem.IsWindows())
                {
                    entry.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | (entry is DirectoryInfo ? UnixFileMode.UserExecute : UnixFileMode.None);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // What cannot be made writable stays; the next attempt deletes what it can.
        }
    }
}

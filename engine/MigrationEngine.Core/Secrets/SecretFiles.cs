namespace MigrationEngine.Core.Secrets;

/// <summary>
/// Permissions of <c>file:</c> secrets: a secret others can read has leaked, one others (or the group) can write can be
/// swapped. Group read stays allowed, as in the usual 0640 root:service files.
/// </summary>
public static class SecretFiles
{
    private const UnixFileMode OthersOrGroup =
        UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>The file's mode as octal (such as 0644) when others may read or write it, or its group may write it; null otherwise.</summary>
    public static string? LooseMode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            var mode = File.GetUnixFileMode(path);
            return (mode & OthersOrGroup) == 0 ? null : "0" + Convert.ToString((int)mode & 0x1FF, 8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

namespace MigrationEngine.Adapters.Files.Common;

/// <summary>
/// Lists a directory that may be missing by trying the listing rather than asking first: a stat (Directory.Exists) before
/// each listing of a Maildir's <c>cur</c> and <c>new</c> cost one system call per listing, several per mailbox. Only when
/// the listing fails is that question asked, so whatever Directory.Exists called missing (no such path, not a directory,
/// a parent that cannot be searched) is still empty, and any other failure is thrown as the listing threw it.
/// </summary>
internal static class DirectoryListing
{
    /// <summary>The files of <paramref name="directory"/> (full paths), or none when it is no directory.</summary>
    public static string[] FilesOrNone(string directory)
    {
        try
        {
            return Directory.GetFiles(directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException && !Directory.Exists(directory))
        {
            return [];
        }
    }

    /// <summary>How many files of <paramref name="directory"/> have a name not starting with '.'; 0 when it is no directory.</summary>
    public static int CountVisibleFiles(string directory)
    {
        try
        {
            return Directory.EnumerateFiles(directory).Count(file => !Path.GetFileName(file.AsSpan()).StartsWith('.'));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException && !Directory.Exists(directory))
        {
            return 0;
        }
    }

    /// <summary>A Maildir's messages, counted from its listing (no file opened): the visible files of <c>cur</c> and <c>new</c>.</summary>
    public static int CountMaildirMessages(string maildir) =>
        CountVisibleFiles(Path.Combine(maildir, "cur")) + CountVisibleFiles(Path.Combine(maildir, "new"));
}

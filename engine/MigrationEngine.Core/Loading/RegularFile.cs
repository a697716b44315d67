using Mono.Unix;

namespace MigrationEngine.Core.Loading;

/// <summary>
/// Reads files a plan names (CSVs, secrets, CA files, templates) as what they claim to be: regular files of bounded
/// size. <c>/dev/zero</c> would fill memory, a FIFO would hang the process and <c>/proc</c> files report a size of
/// zero, so the type is checked before opening (links followed) and the read stops one byte past the limit.
/// .NET tells no file type beyond "directory", hence Mono.Unix's stat(2).
/// </summary>
public static class RegularFile
{
    /// <summary>Null when <paramref name="path"/> is a regular file (links followed) of at most <paramref name="maxBytes"/> bytes; otherwise why not. A missing file is reported as such.</summary>
    public static string? Problem(string path, long maxBytes)
    {
        UnixFileInfo info;
        try
        {
            info = new UnixFileInfo(path);
            if (!info.Exists)
            {
                return "it does not exist";
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return "it cannot be examined";
        }

        return info.FileType switch
        {
            FileTypes.RegularFile when info.Length > maxBytes => $"it is larger than {maxBytes:N0} bytes",
            FileTypes.RegularFile => null,
            FileTypes.Directory => "it is a directory, not a regular file",
            FileTypes.Fifo => "it is a named pipe (FIFO), not a regular file",
            FileTypes.Socket => "it is a socket, not a regular file",
            FileTypes.CharacterDevice or FileTypes.BlockDevice => "it is a device, not a regular file",
            _ => "it is not a regular file",
        };
    }

    /// <summary>The bytes of a regular file of at most <paramref name="maxBytes"/>; <see cref="UnusableFileException"/> with the reason otherwise.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        if (Problem(path, maxBytes) is { } problem)
        {
            throw new UnusableFileException(problem);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw new UnusableFileException($"it is larger than {maxBytes:N0} bytes");
            }
        }

        return buffer.ToArray();
    }

    /// <summary>UTF-8 text of a regular file of at most <paramref name="maxBytes"/> (a leading byte order mark dropped).</summary>
    public static string ReadAllText(string path, long maxBytes)
    {
        var text = new System.Text.UTF8Encoding(false).GetString(ReadAllBytes(path, maxBytes));
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }
}

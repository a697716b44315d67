using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using Mono.Unix.Native;

namespace MigrationEngine.Adapters.Files.Common;

/// <summary>
/// A message file as it really is. A symbolic link's own size is the length of its target's name, so a message
/// behind one was once copied cut to that length: links are followed to a regular file inside the mailbox's folder,
/// and anything else (a link leading out, a FIFO that would hang the read, a device) is refused with the reason.
/// </summary>
internal static class MessageFile
{
    /// <summary>
    /// The length and modification time of a message file that is a regular file itself (no link), from one lstat(2)
    /// instead of <see cref="Resolve"/>'s link read and stat calls, which a listing of many small files paid per file;
    /// false for anything else (a link, a FIFO, a device, an error other than a missing file), which Resolve then judges.
    /// The time is the one <see cref="FileSystemInfo.LastWriteTimeUtc"/> gives. A missing file throws
    /// <see cref="FileNotFoundException"/>, as Resolve does.
    /// </summary>
    public static bool TryRegular(string file, out long length, out DateTime lastWriteUtc)
    {
        length = 0;
        lastWriteUtc = default;
        if (Syscall.lstat(file, out var stat) != 0)
        {
            return Stdlib.GetLastError() == Errno.ENOENT
                ? throw new FileNotFoundException("the message file disappeared", file)
                : false;
        }

        if ((stat.st_mode & FilePermissions.S_IFMT) != FilePermissions.S_IFREG)
        {
            return false;
        }

        length = stat.st_size;
        lastWriteUtc = DateTimeOffset.FromUnixTimeSeconds(stat.st_mtime).AddTicks(stat.st_mtime_nsec / 100).UtcDateTime;
        return true;
    }

    /// <summary>The information of the file holding the message (a link's target); <paramref name="root"/> is the folder it must stay in.</summary>
    public static FileInfo Resolve(string file, string root)
    {
        var info = new FileInfo(file);
        var real = file;
        if (info.LinkTarget is not null)
        {
            real = PlanPaths.RealPath(info.FullName);
            if (!PlanPaths.IsUnder(root, real))
            {
                throw new MigrationException(Diagnose.MessageFileRefused(SourceLocation.None(file),
                    file, "it is a symbolic link that leads outside " + root,
                        hint: "replace the link by the message file, or copy the file into the mailbox's folder"));
            }

            info = new FileInfo(real);
        }

        if (RegularFile.Problem(real, long.MaxValue) is { } problem)
        {
            if (!info.Exists)
            {
                throw new FileNotFoundException("the message file disappeared", file);
            }

            throw new MigrationException(Diagnose.MessageFileRefused(SourceLocation.None(file), file, problem,
                hint: "remove it from the mailbox's folder"));
        }

        return info;
    }
}

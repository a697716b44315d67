using System.Runtime.InteropServices;
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

    /// <summary>
    /// The whole of a regular file that held <paramref name="length"/> bytes at its lstat just now, read by one preadv(2)
    /// into the content and one byte beyond it; true only when the read returned exactly <paramref name="length"/> bytes,
    /// which for a regular file means it ends there. The byte beyond is what a second pread returning 0 used to confirm,
    /// one system call per listed message. A file that grew since the lstat (still being written) fills that byte, one
    /// that shrank returns fewer bytes (so does a file system that returns short reads, read again by the caller's slower
    /// path): false either way, so a file being written is never kept cut short.
    /// </summary>
    /// <remarks>
    /// Opened with open(2) itself, not File.OpenHandle, whose fstat (to refuse a directory) was one more call per message:
    /// the lstat just now said regular file, and should it have become anything else, the read fails or comes out short.
    /// Any failure here, opening included, returns false, and the caller's slower path opens the file the .NET way and
    /// throws what it always threw (a missing file, a denied one).
    /// </remarks>
    public static bool TryReadExactly(string file, int length, out byte[] content)
    {
        content = new byte[length];
        var descriptor = Syscall.open(file, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC);
        if (descriptor < 0)
        {
            return false;
        }

        var beyond = new byte[1];
        var pinnedContent = GCHandle.Alloc(content, GCHandleType.Pinned);
        var pinnedBeyond = GCHandle.Alloc(beyond, GCHandleType.Pinned);
        try
        {
            Iovec[] vectors =
            [
                new() { iov_base = pinnedContent.AddrOfPinnedObject(), iov_len = (ulong)length },
                new() { iov_base = pinnedBeyond.AddrOfPinnedObject(), iov_len = 1 },
            ];
            return Syscall.preadv(descriptor, vectors, 0) == length;
        }
        finally
        {
            pinnedBeyond.Free();
            pinnedContent.Free();
            Syscall.close(descriptor);
        }
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

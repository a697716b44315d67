using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace MigrationEngine.Adapters.Files.Maildir;

/// <summary>
/// rename(2) that never replaces: Linux's renameat2 with RENAME_NOREPLACE, which refuses an existing name atomically as
/// link(2) does, in one call instead of link and unlink (and with no moment where the file has both names).
/// </summary>
internal static class NoReplaceRename
{
    private const int CurrentDirectory = -100;
    private const uint NoReplace = 1;

    // Cleared when the C library has no renameat2 (an older glibc, another libc): callers then link and unlink.
    private static volatile bool _available = OperatingSystem.IsLinux();

    /// <summary>Whether renameat2 is tried; tests clear it to take the link and unlink path.</summary>
    internal static bool Available
    {
        get => _available;
        set => _available = value;
    }

    /// <summary>
    /// Renames <paramref name="from"/> to <paramref name="to"/> unless <paramref name="to"/> exists. Null when it is done;
    /// otherwise the error, where <see cref="Errno.EINVAL"/> or <see cref="Errno.ENOSYS"/> (also returned where there is
    /// no renameat2 at all) means the file system or the system cannot do it this way.
    /// </summary>
    public static Errno? TryRename(string from, string to)
    {
        if (!_available)
        {
            return Errno.ENOSYS;
        }

        try
        {
            return RenameAt2(CurrentDirectory, from, CurrentDirectory, to, NoReplace) == 0
                ? null
                : NativeConvert.ToErrno(Marshal.GetLastPInvokeError());
        }
        catch (Exception error) when (error is EntryPointNotFoundException or DllNotFoundException)
        {
            _available = false;
            return Errno.ENOSYS;
        }
    }

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int fromDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string from, int toDirectory,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string to, uint flags);
}

using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;

namespace MigrationEngine.Adapters.Files.Common;

/// <summary>
/// A message file as it really is. A symbolic link's own size is the length of its target's name, so a message
/// behind one was once copied cut to that length: links are followed to a regular file inside the mailbox's folder,
/// and anything else (a link leading out, a FIFO that would hang the read, a device) is refused with the reason.
/// </summary>
internal static class MessageFile
{
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

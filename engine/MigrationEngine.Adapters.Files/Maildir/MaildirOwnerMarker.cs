using System.Text;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.State;

namespace MigrationEngine.Adapters.Files.Maildir;

/// <summary>
/// The file in a Maildir target's mailbox root that says which plan and state write to it (Dovecot ignores unknown
/// files there). The first writer creates it atomically (written aside, then moved without replacing); a run with
/// another state or plan is refused unless the plan allows shared targets, because each state would take the other's
/// messages for unknown mail and copy its own again.
/// </summary>
internal static class MaildirOwnerMarker
{
    public const string FileName = "migration-engine-owner";

    public static void Claim(string root, MailboxContext context)
    {
        if (context.TargetOwner is not { } owner)
        {
            return;
        }

        var path = Path.Combine(root, FileName);
        try
        {
            Directory.CreateDirectory(root);
            if (!File.Exists(path) && Write(path, owner, replace: false))
            {
                return;
            }

            var existing = TargetOwner.Parse(RegularFile.ReadAllText(path, 64 * 1024))
                ?? throw new MigrationException(Diagnose.TargetOwnerUnreadable(context.Mailbox.Location, path,
                    hint: "delete the file if no other state writes to this mailbox, and run again"));
            if (TargetOwnerMarkers.MustWrite(context, owner, existing, path))
            {
                Write(path, owner, replace: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Common.FileErrors.WriteFailed(path, ex);
        }
    }

    /// <summary>Writes the marker aside and moves it in; false when another run created it first (and replace is off).</summary>
    internal static bool Write(string path, TargetOwner owner, bool replace)
    {
        var aside = path + ".new-" + Guid.NewGuid().ToString("N")[..12];
        using (var stream = new FileStream(aside, PrivateFiles.CreateOptions(FileMode.CreateNew)))
        {
            stream.Write(Encoding.UTF8.GetBytes(owner.Serialize()));
        }

        try
        {
            if (replace)
            {
                File.Move(aside, path, overwrite: true);
            }
            else
            {
                // Refused atomically when another run's marker is there (File.Move checks, then renames: two runs
                // starting together both found no marker, the second replaced the first's, and both wrote the target).
                MaildirTarget.Deliver(aside, path);
            }

            return true;
        }
        catch (IOException) when (!replace && File.Exists(path))
        {
            File.Delete(aside);
            return false;
        }
    }
}

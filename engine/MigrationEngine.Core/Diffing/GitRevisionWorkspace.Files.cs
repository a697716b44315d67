using System.Text;
using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Diffing;

/// <summary>
/// Files read from a git revision under the rules live files follow (<c>PlanPaths</c>, <c>RegularFile</c>): a path relative
/// to the plan's folder that stays inside the repository, naming a regular file (a blob of mode 100644 or 100755, never a
/// symbolic link, folder or submodule) no larger than a live file may be. The size comes from the tree before a byte of
/// the file is read, so a huge blob costs nothing. Paths are literal (GIT_LITERAL_PATHSPECS), never patterns.
/// </summary>
public sealed partial class GitRevisionWorkspace
{
    /// <summary>The repository-relative path of <paramref name="written"/> (relative to <paramref name="planFolder"/>), or why it cannot be read from git.</summary>
    public static string? RepositoryPath(string written, string planFolder, out string relative)
    {
        relative = string.Empty;
        if (string.IsNullOrWhiteSpace(written) || written.AsSpan().IndexOfAny('\0', '\n', '\r') >= 0)
        {
            return "the path is empty or holds a control character";
        }

        if (Path.IsPathRooted(written) || written.StartsWith('~') || (written.Length > 1 && written[1] == ':'))
        {
            return "a file read from a git revision must be named by a path relative to the plan's folder";
        }

        var parts = new List<string>();
        foreach (var part in (planFolder.Length == 0 ? written : planFolder + "/" + written).Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return "it leads outside the repository";
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        if (parts.Count == 0 || string.Equals(parts[0], ".git", StringComparison.OrdinalIgnoreCase))
        {
            return "it does not name a file of the repository";
        }

        relative = string.Join('/', parts);
        return null;
    }

    /// <summary>
    /// The bytes of <paramref name="relative"/> at <paramref name="revision"/>, or null when the revision has no such path;
    /// a path that is not a regular file of at most <paramref name="maxBytes"/> is MIG1230.
    /// </summary>
    private byte[]? Blob(string revision, string relative, long maxBytes, string key, string written)
    {
        var (exit, listing, _) = Git(_repository, "ls-tree", "-z", "--long", "--full-tree", revision, "--", relative);
        var entry = exit == 0 ? Encoding.UTF8.GetString(listing).Split('\0')[0] : string.Empty;
        var tab = entry.IndexOf('\t', StringComparison.Ordinal);
        if (tab < 0)
        {
            return null;
        }

        // <mode> SP <type> SP <object> SP+ <size> TAB <path>
        var fields = entry[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var problem = fields switch
        {
            ["120000", ..] => "it is a symbolic link in that revision, not a regular file",
            [_, "blob", _, var size] when long.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes)
                => bytes > maxBytes ? $"it is larger than {maxBytes:N0} bytes" : null,
            [_, "tree", ..] => "it is a folder, not a regular file",
            _ => "it is not a regular file",
        };
        if (problem is not null)
        {
            throw new PlanDiffException(Diagnose.GitFileNotUsable(SourceLocation.None($"{revision}:{RelativePlanPath}"),
                key, Quote.Cell(written), revision, problem, hint: "name a regular file of the repository, relative to the plan's folder"));
        }

        var (read, bytesRead, _) = Git(_repository, "cat-file", "blob", fields[2]);
        return read == 0 && bytesRead.Length <= maxBytes ? bytesRead : null;
    }

    /// <summary>The plan's CSV at the revision, written into the workspace; a path git cannot serve safely is MIG1230.</summary>
    private void ExtractCsv(string revision, string root, string planFolder, string csv)
    {
        if (RepositoryPath(csv, planFolder, out var relative) is { } problem)
        {
            throw new PlanDiffException(Diagnose.GitFileNotUsable(SourceLocation.None($"{revision}:{RelativePlanPath}"),
                "csv", Quote.Cell(csv), revision, problem, hint: "name the CSV by a path relative to the plan's folder, inside the repository"));
        }

        if (Blob(revision, relative, Loading.CsvMailboxFile.MaxBytes, "csv", csv) is { } bytes)
        {
            Write(root, relative, bytes);
        }
    }
}

namespace MigrationEngine.Core.Loading;

/// <summary>
/// Where a plan may name files: its own folder, plus the absolute folders it lists in
/// <c>spec.options.allowedRoots</c>. A plan reviewed in a pull request is run by a pipeline with secrets in its
/// environment, so <c>csv: ../../proc/self/environ</c> or <c>path: /etc</c> must not reach the file system.
/// Symbolic links are followed and where they end is checked, not where they start. The one home of this rule
/// for CSVs, caFile, templates, report outputs, <c>file:</c> secrets and source and target paths.
/// </summary>
public sealed class PlanPaths
{
    private const int MaxLinkHops = 40;
    private readonly List<string> _roots;

    public PlanPaths(string planDirectory, IEnumerable<string> allowedRoots)
    {
        _roots = [WithSeparator(RealPath(Path.GetFullPath(planDirectory)))];
        foreach (var root in allowedRoots)
        {
            if (Path.IsPathFullyQualified(root))
            {
                _roots.Add(WithSeparator(RealPath(Path.GetFullPath(root))));
            }
        }
    }

    /// <summary>The plan's folder alone (report templates and their includes).</summary>
    public static PlanPaths PlanFolderOnly(string planDirectory) => new(planDirectory, []);

    /// <summary>
    /// Null when <paramref name="written"/> (as the plan wrote it) resolves inside an allowed root, and then
    /// <paramref name="fullPath"/> is where it points (links not resolved, for display); otherwise why not.
    /// </summary>
    public string? Check(string written, out string fullPath)
    {
        fullPath = "";
        if (string.IsNullOrWhiteSpace(written) || written.AsSpan().IndexOfAny('\0', '\n', '\r') >= 0)
        {
            return "the path is empty or holds a control character";
        }

        if (written.StartsWith('~'))
        {
            return "'~' is not expanded; write a path relative to the plan's folder";
        }

        try
        {
            fullPath = Path.GetFullPath(written, _roots[0]);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return "it is not a valid path";
        }

        if (!Inside(WithSeparator(fullPath)))
        {
            return Path.IsPathRooted(written)
                ? "absolute paths outside the plan's folder are not allowed unless spec.options.allowedRoots lists a folder holding them"
                : "it leads outside the plan's folder";
        }

        string real;
        try
        {
            real = RealPath(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "its symbolic links cannot be followed";
        }

        return Inside(WithSeparator(real)) ? null : "it is a symbolic link, or lies under one, that leads outside the plan's folder and spec.options.allowedRoots";
    }

    /// <summary>
    /// <paramref name="fullPath"/> with every symbolic link in it resolved (like realpath(3)); components that do
    /// not exist yet are kept as written, so an output path can be checked before it is created.
    /// </summary>
    public static string RealPath(string fullPath)
    {
        var pending = new Stack<string>(fullPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = "/";
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var candidate = Path.Join(current, part);
            var link = new FileInfo(candidate).LinkTarget;
            if (link is null)
            {
                current = candidate;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new IOException("too many levels of symbolic links");
            }

            foreach (var linked in link.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(linked);
            }

            if (link.StartsWith('/'))
            {
                current = "/";
            }
        }

        return current;
    }

    /// <summary>True when <paramref name="fullPath"/>, links resolved, is <paramref name="root"/> or below it.</summary>
    public static bool IsUnder(string root, string fullPath)
    {
        var realRoot = WithSeparator(RealPath(Path.GetFullPath(root)));
        return WithSeparator(RealPath(Path.GetFullPath(fullPath))).StartsWith(realRoot, StringComparison.Ordinal);
    }

    private bool Inside(string pathWithSeparator) =>
        _roots.Exists(root => pathWithSeparator.StartsWith(root, StringComparison.Ordinal));

    private static string WithSeparator(string path)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(path);
        return trimmed.EndsWith(Path.DirectorySeparatorChar) ? trimmed : trimmed + Path.DirectorySeparatorChar;
    }
}

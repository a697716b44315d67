using System.Text;
using System.Text.RegularExpressions;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// Applies a migration's <c>folders</c> rules: include/exclude (globs where <c>*</c> stays within one level,
/// <c>**</c> crosses levels, <c>?</c> is one character; or a regex written <c>/.../</c> or <c>/.../i</c>), then <c>map</c>
/// (an exact path, or a prefix: mapping <c>A</c> also moves <c>A/B</c> to <c>X/B</c>). Matching ignores case, as
/// Exchange and most IMAP servers treat folder names.
/// </summary>
public sealed class FolderRulesMatcher
{
    private readonly IReadOnlyList<Regex> _include;
    private readonly IReadOnlyList<Regex> _exclude;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _map;
    private readonly FolderRules _rules;

    public FolderRulesMatcher(FolderRules rules)
    {
        _rules = rules;
        _include = rules.Include.Select(ToRegex).ToList();
        _exclude = rules.Exclude.Select(ToRegex).ToList();
        // Longest source first, so that a specific mapping wins over a prefix mapping.
        _map = rules.Map.OrderByDescending(kv => kv.Key.Length).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
    }

    public bool IsIncluded(string path) =>
        (_include.Count == 0 || _include.Any(r => r.IsMatch(path))) && !_exclude.Any(r => r.IsMatch(path));

    /// <summary>The rule that leaves the folder out, as the plan writes it (for "left out by rule ..."); null when it is copied.</summary>
    public string? ExclusionRule(string path)
    {
        if (_include.Count > 0 && !_include.Any(r => r.IsMatch(path)))
        {
            return "folders.include (" + string.Join(", ", _rules.Include.Select(p => $"'{p}'")) + ")";
        }

        for (var i = 0; i < _exclude.Count; i++)
        {
            if (_exclude[i].IsMatch(path))
            {
                return $"folders.exclude '{_rules.Exclude[i]}'";
            }
        }

        return null;
    }

    public string MapPath(string path)
    {
        foreach (var (from, to) in _map)
        {
            if (string.Equals(path, from, StringComparison.OrdinalIgnoreCase))
            {
                return to;
            }

            if (path.Length > from.Length && path[from.Length] == '/' && path.StartsWith(from, StringComparison.OrdinalIgnoreCase))
            {
                return to + path[from.Length..];
            }
        }

        return path;
    }

    /// <summary>Folders to copy, in a stable order (INBOX first, then by path).</summary>
    public IReadOnlyList<FolderAssignment> Assign(IEnumerable<SourceFolder> folders)
    {
        var result = new List<FolderAssignment>();
        foreach (var folder in folders)
        {
            if (!IsIncluded(folder.Path))
            {
                continue;
            }

            var mapped = MapPath(folder.Path);
            var explicitlyMapped = !string.Equals(mapped, folder.Path, StringComparison.Ordinal);
            // A folder renamed by the plan keeps its role only when the admin did not redirect it elsewhere.
            var specialUse = explicitlyMapped ? SpecialUse.None : folder.SpecialUse;
            if (string.Equals(mapped, "INBOX", StringComparison.OrdinalIgnoreCase))
            {
                specialUse = SpecialUse.Inbox;
                mapped = "INBOX";
            }

            result.Add(new FolderAssignment(folder, mapped, specialUse));
        }

        return result
            .OrderBy(a => a.Source.SpecialUse == SpecialUse.Inbox ? 0 : 1)
            .ThenBy(a => a.Source.Path, StringComparer.Ordinal)
            .ToList();
    }

    public static Regex ToRegex(string pattern)
    {
        if (pattern.Length >= 2 && pattern[0] == '/')
        {
            var end = pattern.LastIndexOf('/');
            if (end > 0)
            {
                var flags = pattern[(end + 1)..];
                var options = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;
                if (flags.Contains('i', StringComparison.Ordinal))
                {
                    options |= RegexOptions.IgnoreCase;
                }

                return new Regex(pattern[1..end], options, TimeSpan.FromSeconds(1));
            }
        }

        return new Regex(GlobToRegex(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public static string GlobToRegex(string glob)
    {
        var text = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var ch = glob[i];
            if (ch == '*')
            {
                if (i + 1 < glob.Length && glob[i + 1] == '*')
                {
                    text.Append(".*");
                    i++;
                }
                else
                {
                    text.Append("[^/]*");
                }
            }
            else if (ch == '?')
            {
                text.Append("[^/]");
            }
            else
            {
                text.Append(Regex.Escape(ch.ToString()));
            }
        }

        // A folder rule also covers the folder's subfolders: "Archive" matches "Archive/2023".
        text.Append("(/.*)?$");
        return text.ToString();
    }
}

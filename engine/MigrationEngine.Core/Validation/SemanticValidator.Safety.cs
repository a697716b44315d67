using System.Globalization;
using System.Text.RegularExpressions;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// Checks that keep a hostile or careless plan harmless: every path it names stays inside the plan's folder (or a
/// root it lists), files it names are regular files, numbers and durations are in range, regexes compile.
/// </summary>
public sealed partial class SemanticValidator
{
    /// <summary>CSV mailbox lists: 50,000 rows of a few hundred bytes fit many times over.</summary>
    public const long MaxCsvBytes = 64L * 1024 * 1024;

    /// <summary>Secrets, CA files and generated passwords: a few kilobytes; 1 MiB leaves room for a PFX.</summary>
    public const long MaxSecretBytes = SecretReference.MaxFileBytes;

    /// <summary>A since duration reaches back at most 100 years.</summary>
    private static readonly TimeSpan MaxSinceDuration = TimeSpan.FromDays(36_525);

    /// <summary>No mail system accepts messages near 2 GiB; above it a size is a typo.</summary>
    private const long MaxMessageSizeLimit = 2L * 1024 * 1024 * 1024;

    private PlanPaths _paths = null!;
    private readonly List<string> _allowedRoots = [];
    private bool _allowSharedTargets;

    private enum PlanFileKind
    {
        /// <summary>A file the engine reads (CSV, caFile, passwordFile): a regular file when it exists.</summary>
        File,

        /// <summary>A source or target path: a folder (or a .pst file) the adapters open themselves.</summary>
        Location,
    }

    private void ReadAllowedRoots(YamlTreeMapping? options)
    {
        foreach (var item in options?.GetSequence("allowedRoots")?.Items ?? [])
        {
            if (item.Value is not YamlTreeScalar { IsNull: false } root)
            {
                continue;
            }

            if (!Path.IsPathFullyQualified(root.Value) || root.Value.AsSpan().IndexOfAny('\0', '\n') >= 0)
            {
                _diagnostics.Add(DiagnosticCatalog.AllowedRootNotAbsolute, Loc(root), "write the folder as an absolute path such as /srv/mail", Quote.Cell(root.Value));
                continue;
            }

            _allowedRoots.Add(Path.GetFullPath(root.Value));
        }

        _paths = new PlanPaths(_planDirectory, _allowedRoots);
        _allowSharedTargets = Bool(options, "allowSharedTargets") ?? false;
    }

    /// <summary>The absolute path of <paramref name="key"/> in <paramref name="node"/>, or null (with a diagnostic) when it leaves the allowed roots.</summary>
    private string? PlanFile(YamlTreeMapping? node, string key, PlanFileKind kind) =>
        node?.GetScalar(key) is { IsNull: false } scalar ? PlanFile(scalar, key, kind) : null;

    private string? PlanFile(YamlTreeScalar scalar, string key, PlanFileKind kind)
    {
        var reason = _paths.Check(scalar.Value, out var fullPath);
        if (reason is not null)
        {
            _diagnostics.Add(DiagnosticCatalog.PathNotAllowed, Loc(scalar), "keep the file under the plan's folder, or list its folder in spec.options.allowedRoots",
                key, Quote.Cell(scalar.Value), reason);
            return null;
        }

        if (kind == PlanFileKind.File && Path.Exists(fullPath) && RegularFile.Problem(fullPath, MaxSecretOrCsvBytes(key)) is { } problem)
        {
            _diagnostics.Add(DiagnosticCatalog.PlanFileNotUsable, Loc(scalar), null, key, Quote.Cell(scalar.Value), problem);
            return null;
        }

        return fullPath;
    }

    private static long MaxSecretOrCsvBytes(string key) => key == "csv" ? MaxCsvBytes : MaxSecretBytes;

    /// <summary>A <c>file:</c> secret: inside the allowed roots, a regular file, and readable by its owner only (a warning otherwise).</summary>
    private bool CheckSecretFile(SecretReference reference, string text, SourceLocation where)
    {
        if (reference.Kind != SecretKind.File)
        {
            return true;
        }

        var written = text[5..];
        var reason = _paths.Check(written, out var fullPath);
        if (reason is not null)
        {
            _diagnostics.Add(DiagnosticCatalog.PathNotAllowed, where, "keep secret files under the plan's folder, or list their folder in spec.options.allowedRoots",
                "file:", Quote.Cell(written), reason);
            return false;
        }

        if (!Path.Exists(fullPath))
        {
            return true;
        }

        if (RegularFile.Problem(fullPath, MaxSecretBytes) is { } problem)
        {
            _diagnostics.Add(DiagnosticCatalog.PlanFileNotUsable, where, null, "file:", Quote.Cell(written), problem);
            return false;
        }

        if (SecretFiles.LooseMode(fullPath) is { } mode)
        {
            _diagnostics.Add(DiagnosticCatalog.SecretFileLoosePermissions, where, $"chmod 600 {Quote.Cell(written)}", Quote.Cell(written), mode);
        }

        return true;
    }

    /// <summary><c>filters.since</c> as a duration: any amount of s, m, h, d, w up to 100 years; null when it is not a duration.</summary>
    private DateTimeOffset? SinceDuration(YamlTreeScalar node)
    {
        var text = node.Value.Trim();
        if (text.Length < 2 || !"smhdw".Contains(text[^1], StringComparison.Ordinal) || !text[..^1].All(char.IsAsciiDigit))
        {
            return null;
        }

        var unit = text[^1] switch { 's' => 1.0, 'm' => 60.0, 'h' => 3600.0, 'd' => 86_400.0, _ => 604_800.0 };
        var seconds = double.Parse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture) * unit;
        if (seconds < 1 || seconds > MaxSinceDuration.TotalSeconds)
        {
            _diagnostics.Add(DiagnosticCatalog.OutOfRange, Loc(node), "a since duration reaches back from 1s to 36525d (100 years); use a date for anything else",
                "filters.since", $"'{Quote.Cell(text)}' must be between 1 second and 100 years");
            return DateTimeOffset.MinValue;
        }

        if (text[^1] == 'm')
        {
            _diagnostics.Add(DiagnosticCatalog.MinutesNotMonths, Loc(node), "write days (30d) or weeks (4w) for months", Quote.Cell(text),
                TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture));
        }

        return DateTimeOffset.UtcNow - TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// <c>maxMessageSize</c> in bytes; a size the schema's pattern accepts but no mail system can mean (an overflow,
    /// zero, above 2 GiB) is out of range, not ignored.
    /// </summary>
    private long? CheckedSize(YamlTreeScalar node)
    {
        var parsed = ValueParsers.TryParseSize(node.Value, out var size);
        if (parsed && size is >= 1 and <= MaxMessageSizeLimit)
        {
            return size;
        }

        if (SizePattern().IsMatch(node.Value))
        {
            _diagnostics.Add(DiagnosticCatalog.OutOfRange, Loc(node), "write a size from 1B to 2GB, such as 35MB",
                "filters.maxMessageSize", $"'{Quote.Cell(node.Value)}' must be between 1 byte and 2 GB");
        }

        return null;
    }

    [GeneratedRegex("^[0-9]+(\\.[0-9]+)? ?(B|KB|MB|GB|KiB|MiB|GiB)$", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    /// <summary>IMAP <c>timeouts</c> (the schema checks their ranges); defaults for what is not set.</summary>
    private static ConnectionTimeouts ReadTimeouts(YamlTreeMapping? node)
    {
        var defaults = new ConnectionTimeouts();
        return node is null
            ? defaults
            : new ConnectionTimeouts
            {
                ConnectSeconds = Positive(Int(node, "connect")) ?? defaults.ConnectSeconds,
                GreetingSeconds = Positive(Int(node, "greeting")) ?? defaults.GreetingSeconds,
                TlsSeconds = Positive(Int(node, "tls")) ?? defaults.TlsSeconds,
                CommandSeconds = Positive(Int(node, "command")) ?? defaults.CommandSeconds,
            };

        static int? Positive(int? value) => value is > 0 and <= 3600 ? value : null;
    }

    /// <summary>Folder include/exclude patterns are compiled here, so a broken <c>/regex/</c> fails validate, not every mailbox at apply.</summary>
    private void CheckFolderPatterns(YamlTreeMapping? folders)
    {
        foreach (var key in new[] { "include", "exclude" })
        {
            foreach (var item in folders?.GetSequence(key)?.Items ?? [])
            {
                if (item.Value is not YamlTreeScalar { IsNull: false } pattern)
                {
                    continue;
                }

                try
                {
                    FolderRulesMatcher.ToRegex(pattern.Value);
                }
                catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
                {
                    var reason = ex is RegexParseException parse ? parse.Error.ToString() : "not supported by the non-backtracking engine";
                    _diagnostics.Add(DiagnosticCatalog.InvalidFolderPattern, Loc(pattern), "check the /regex/ syntax, or write a glob such as Archive/*",
                        "folders." + key, Quote.Cell(pattern.Value), reason);
                }
            }
        }
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Binding;

/// <summary>
/// Values the schema's patterns accept but that still have to mean something to be bound: paths (the one path rule,
/// <see cref="PlanPaths"/>), calendar dates, since durations, message sizes, mailbox addresses.
/// </summary>
public sealed partial class PlanBinder
{
    /// <summary>Secrets, CA files and generated passwords: a few kilobytes; 1 MiB leaves room for a PFX.</summary>
    public const long MaxSecretBytes = SecretReference.MaxFileBytes;

    /// <summary>A since duration reaches back at most 100 years.</summary>
    private static readonly TimeSpan MaxSinceDuration = TimeSpan.FromDays(36_525);

    /// <summary>No mail system accepts messages near 2 GiB; above it a size is a typo.</summary>
    private const long MaxMessageSizeLimit = 2L * 1024 * 1024 * 1024;

    private enum PlanFileKind
    {
        /// <summary>A file the engine reads (CSV, caFile, passwordFile): a regular file when it exists.</summary>
        File,

        /// <summary>A source or target path: a folder (or a .pst file) the adapters open themselves.</summary>
        Location,
    }

    /// <summary>The absolute path of <paramref name="key"/> in <paramref name="node"/>, or null (with a diagnostic) when it leaves the allowed roots.</summary>
    private string? PlanFile(YamlTreeMapping? node, string key, PlanFileKind kind) =>
        node?.GetScalar(key) is { IsNull: false } scalar ? PlanFile(scalar, key, kind) : null;

    private string? PlanFile(YamlTreeScalar scalar, string key, PlanFileKind kind)
    {
        var reason = _paths.Check(scalar.Value, out var fullPath);
        if (reason is not null)
        {
            _diagnostics.Add(Diagnose.PathNotAllowed(Loc(scalar),
                key, Quote.Cell(scalar.Value), reason, hint: "keep the file under the plan's folder, or list its folder in spec.options.allowedRoots"));
            return null;
        }

        var limit = key == "csv" ? CsvMailboxFile.MaxBytes : MaxSecretBytes;
        if (kind == PlanFileKind.File && Path.Exists(fullPath) && RegularFile.Problem(fullPath, limit) is { } problem)
        {
            _diagnostics.Add(Diagnose.PlanFileNotUsable(Loc(scalar), key, Quote.Cell(scalar.Value), problem));
            return null;
        }

        return fullPath;
    }

    private DateTimeOffset? Date(YamlTreeScalar node, string what)
    {
        if (ValueParsers.TryParseDate(node.Value, out var value))
        {
            return value;
        }

        // Only report what the schema's pattern accepted but the calendar does not (2024-02-30); the schema reports the rest.
        if (node.Value.Length >= 10 && char.IsAsciiDigit(node.Value[0]) && node.Value[4] == '-')
        {
            _diagnostics.Add(Diagnose.PatternMismatch(Loc(node), node.Value, what, "not a valid calendar date or time"));
        }

        return null;
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
            _diagnostics.Add(Diagnose.OutOfRange(Loc(node),
                "filters.since", $"'{Quote.Cell(text)}' must be between 1 second and 100 years",
                hint: "a since duration reaches back from 1s to 36525d (100 years); use a date for anything else"));
            return DateTimeOffset.MinValue;
        }

        if (text[^1] == 'm')
        {
            _diagnostics.Add(Diagnose.MinutesNotMonths(Loc(node), Quote.Cell(text),
                TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture), hint: "write days (30d) or weeks (4w) for months"));
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
            _diagnostics.Add(Diagnose.OutOfRange(Loc(node),
                "filters.maxMessageSize", $"'{Quote.Cell(node.Value)}' must be between 1 byte and 2 GB", hint: "write a size from 1B to 2GB, such as 35MB"));
        }

        return null;
    }

    [GeneratedRegex("^[0-9]+(\\.[0-9]+)? ?(B|KB|MB|GB|KiB|MiB|GiB)$", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    /// <summary>An inline mailbox address, trimmed; null (reported) when it cannot name a mailbox.</summary>
    private string? CheckedAddress(YamlTreeScalar? scalar)
    {
        if (scalar is null || scalar.IsNull)
        {
            return null;
        }

        var address = scalar.Value.Trim();
        if (address.Length == 0 || YamlScalars.TypeOf(scalar) != YamlScalarType.String)
        {
            // Empty or not a string: the schema already reports it.
            return null;
        }

        // IMAP servers and file layouts also name mailboxes by plain logins ("jdoe"); Exchange and Graph need
        // addresses, which the cross-set rules enforce where a migration uses them.
        if (!ValueParsers.IsValidMailboxName(address))
        {
            _diagnostics.Add(Diagnose.InvalidEmail(Loc(scalar), Quote.Cell(address)));
            return null;
        }

        return address;
    }

    internal static AdminCredentialForm AdminFormOf(string? username)
    {
        if (string.IsNullOrEmpty(username))
        {
            return AdminCredentialForm.None;
        }

        // Microsoft's IMAP migration CSV: "Domain/Admin/User" (Exchange admin) and "user*admin" (Dovecot master user).
        var slashes = username.Count(c => c == '/');
        if (slashes == 2 && !username.StartsWith('/') && !username.EndsWith('/') && !username.Contains("//", StringComparison.Ordinal))
        {
            return AdminCredentialForm.ExchangeAdmin;
        }

        var star = username.IndexOf('*', StringComparison.Ordinal);
        if (star > 0 && star < username.Length - 1 && star == username.LastIndexOf('*'))
        {
            return AdminCredentialForm.MasterUser;
        }

        return AdminCredentialForm.None;
    }
}

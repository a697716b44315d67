using System.Collections;
using System.Globalization;
using System.Text;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>A cmdlet parameter value, kept symbolic so that secrets are resolved only when the cmdlet runs (or read at run time by an exported script).</summary>
internal abstract record PsValue;

internal sealed record PsText(string Value) : PsValue;

internal sealed record PsInt(int Value) : PsValue;

internal sealed record PsSwitch(bool Value) : PsValue;

internal sealed record PsDate(DateTimeOffset Value) : PsValue;

internal sealed record PsList(IReadOnlyList<string> Values) : PsValue;

internal sealed record PsCredential(string UserName, SecretReference Password) : PsValue;

internal sealed record PsSecureSecret(SecretReference Secret) : PsValue;

/// <summary>A secret passed as its UTF-8 bytes (New-MigrationEndpoint -ServiceAccountKeyFileData takes the JSON key file's bytes).</summary>
internal sealed record PsSecretBytes(SecretReference Secret) : PsValue;

/// <summary>A CSV for -CSVData; cells may be secret references (passwords).</summary>
internal sealed record PsCsv(CsvDocument Document) : PsValue;

internal sealed record CsvDocument(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<CsvCell>> Rows)
{

    /// <summary>Microsoft's migration CSV: a header line, then one line per user, RFC 4180 quoting, CRLF.</summary>
    public string Render(Func<SecretReference, string> resolve)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Header.Select(Quote))).Append("\r\n");
        foreach (var row in Rows)
        {
            text.Append(string.Join(',', row.Select(c => Quote(c.Secret is null ? c.Text : resolve(c.Secret))))).Append("\r\n");
        }

        return text.ToString();
    }

    public static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

internal sealed record CsvCell(string Text, SecretReference? Secret = null)
{
    public static CsvCell Of(string? text) => new(text ?? string.Empty);

    public static CsvCell Of(SecretReference? secret) => secret is null ? new CsvCell(string.Empty) : new CsvCell(string.Empty, secret);
}

/// <summary>
/// One cmdlet parameter of an endpoint or batch. <see cref="Property"/> names what Get- returns for it (null: not read back);
/// <see cref="Settable"/> tells whether Set- can change it on an existing object.
/// </summary>
internal sealed record PsSetting(string Parameter, PsValue Value, string? Property, bool Settable)
{
    /// <summary>The comparable text of the wanted value, or null when it cannot be compared (switches, secrets, CSV).</summary>
    public string? Expected => Property is null ? null : Value switch
    {
        PsText text => text.Value,
        PsInt number => number.Value.ToString(CultureInfo.InvariantCulture),
        PsDate date => Comparable.Date(date.Value),
        PsList list => Comparable.List(list.Values),
        PsCredential credential => credential.UserName,
        _ => null,
    };
}

internal enum EndpointKind
{
    ExchangeOutlookAnywhere,
    ExchangeRemoteMove,
    Imap,
    Gmail,
}

internal sealed record EndpointSpec(string Name, EndpointKind Kind, IReadOnlyList<PsSetting> TestParameters, IReadOnlyList<PsSetting> Settings)
{
    /// <summary>The switch that selects the endpoint type in New-MigrationEndpoint and Test-MigrationServerAvailability.</summary>
    public string KindSwitch => Kind switch
    {
        EndpointKind.ExchangeOutlookAnywhere => "ExchangeOutlookAnywhere",
        EndpointKind.ExchangeRemoteMove => "ExchangeRemoteMove",
        EndpointKind.Gmail => "Gmail",
        _ => "IMAP",
    };

    /// <summary>What Get-MigrationEndpoint reports as EndpointType.</summary>
    public string EndpointType => KindSwitch;

    /// <summary>
    /// Batches whose users need skipped items approved before they complete when the Data Consistency Score is Investigate or Poor:
    /// "Approval ... is required for the completion of Remote Move, Public Folder, and Google Workspace migrations."
    /// https://learn.microsoft.com/exchange/mailbox-migration/track-prevent-data-loss-dcs
    /// </summary>
    public bool NeedsSkippedItemApproval => Kind is EndpointKind.ExchangeRemoteMove or EndpointKind.Gmail;
}

internal sealed record BatchSpec(
    string StepSuffix,
    string Name,
    IReadOnlyList<PsSetting> Settings,
    CsvDocument? Csv,
    IReadOnlyList<string> Users,
    bool AutoStart,
    DateTimeOffset? StartAfter,
    bool Complete,
    DateTimeOffset? CompleteAfter,
    string? ContentFilter = null)
{
    /// <summary>The CSV with only some users, for adding users to an existing batch.</summary>
    public CsvDocument? CsvFor(IReadOnlySet<string> users) => Csv is null
        ? null
        : Csv with { Rows = Csv.Rows.Where((_, index) => users.Contains(Users[index])).ToList() };
}

/// <summary>Values as text that compares the same whether they came from the plan or back from a Get- cmdlet.</summary>
internal static class Comparable
{
    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string List(IEnumerable<string> values) =>
        string.Join(',', values.Select(v => v.Trim().ToLowerInvariant()).Where(v => v.Length > 0).Order(StringComparer.Ordinal));

    public static string Of(object? value) => value switch
    {
        null => string.Empty,
        System.Management.Automation.PSObject ps => Of(ps.BaseObject),
        DateTime date => Date(new DateTimeOffset(date.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(date, DateTimeKind.Utc) : date.ToUniversalTime())),
        DateTimeOffset date => Date(date),
        string text => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && text.Length >= 10 && char.IsDigit(text[0])
            ? Date(parsed)
            : text,
        IEnumerable items => List(items.Cast<object?>().Select(i => Of(i))),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    public static bool Same(string? expected, object? actual) =>
        expected is null || string.Equals(expected, Of(actual), StringComparison.OrdinalIgnoreCase);
}

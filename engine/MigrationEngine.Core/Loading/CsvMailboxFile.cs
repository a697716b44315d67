using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Loading;

/// <summary>A mailbox CSV as read: header columns (case-insensitive) and raw rows with their row numbers (header = row 1).</summary>
public sealed class CsvMailboxFile
{
    /// <summary>CSV mailbox lists: 50,000 rows of a few hundred bytes fit many times over.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    private const string QuotingHint = "put a field that holds a comma or a quote in double quotes, and write each quote inside it twice";

    public static readonly IReadOnlyList<string> KnownColumns = ["EmailAddress", "UserName", "Password", "UserRoot", "ForceChangePassword", "SourceAddress"];

    private CsvMailboxFile(string displayPath, string fullPath, byte[] bytes, IReadOnlyList<string> header, IReadOnlyList<(int Row, string[] Fields)> rows)
    {
        DisplayPath = displayPath;
        FullPath = fullPath;
        Bytes = bytes;
        Header = header;
        Rows = rows;
        ColumnIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            ColumnIndex.TryAdd(header[i].Trim(), i);
        }
    }

    public string DisplayPath { get; }

    public string FullPath { get; }

    public byte[] Bytes { get; }

    public IReadOnlyList<string> Header { get; }

    public Dictionary<string, int> ColumnIndex { get; }

    public IReadOnlyList<(int Row, string[] Fields)> Rows { get; }

    public bool HasColumn(string name) => ColumnIndex.ContainsKey(name);

    /// <summary>The field in <paramref name="column"/> (trimmed), or null when the column is absent or the row is short.</summary>
    public string? Field(string[] fields, string column) =>
        ColumnIndex.TryGetValue(column, out var index) && index < fields.Length ? fields[index].Trim() : null;

    /// <summary>1-based column number of <paramref name="column"/>, or 1 when absent.</summary>
    public int ColumnNumber(string column) => ColumnIndex.TryGetValue(column, out var index) ? index + 1 : 1;

    public static CsvMailboxFile? Read(string fullPath, string displayPath, DiagnosticBag diagnostics)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(fullPath))
            {
                return null;
            }

            bytes = RegularFile.ReadAllBytes(fullPath, MaxBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The reason, never the file's text: what a path names may not be a CSV at all.
            diagnostics.Add(Diagnose.CsvUnreadable(SourceLocation.None(displayPath),
                ex is UnusableFileException ? ex.Message : "the file cannot be opened or read", hint: "check that the path names a regular file this user may read"));
            return null;
        }

        var text = YamlTreeReader.DecodeUtf8(bytes, displayPath, new DiagnosticBag());
        if (text is null)
        {
            diagnostics.Add(Diagnose.CsvUnreadable(SourceLocation.None(displayPath), "the file is not UTF-8 text",
                hint: "save it as UTF-8; in Excel, choose 'CSV UTF-8 (Comma delimited)'"));
            return null;
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var bad = new List<int>();
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            IgnoreBlankLines = true,
            DetectColumnCountChanges = false,
            BadDataFound = args => bad.Add(args.Context.Parser?.Row ?? 0),
            TrimOptions = TrimOptions.None,
        };
        var rows = new List<(int, string[])>();
        string[]? header = null;
        using (var parser = new CsvParser(new StringReader(text), configuration))
        {
            try
            {
                while (parser.Read())
                {
                    var record = parser.Record ?? [];
                    if (record.All(string.IsNullOrWhiteSpace))
                    {
                        continue;
                    }

                    if (header is null)
                    {
                        header = record;
                    }
                    else
                    {
                        rows.Add((parser.Row, record));
                    }
                }
            }
            catch (CsvHelperException)
            {
                // CsvHelper's message quotes the raw row, which may hold a password: say where, not what.
                diagnostics.Add(Diagnose.CsvUnreadable(new SourceLocation(displayPath, Math.Max(1, parser.Row), 1), "this row is malformed", hint: QuotingHint));
                return null;
            }
        }

        foreach (var row in bad.Distinct())
        {
            diagnostics.Add(Diagnose.CsvUnreadable(new SourceLocation(displayPath, row, 1), "this row has malformed quoting", hint: QuotingHint));
        }

        if (header is null)
        {
            diagnostics.Add(Diagnose.CsvEmpty(new SourceLocation(displayPath, 1, 1)));
            return null;
        }

        if (ForeignDelimiter(header) is { } separator)
        {
            // Excel writes ';' where the decimal separator is a comma: the whole header lands in one column.
            diagnostics.Add(Diagnose.CsvWrongDelimiter(new SourceLocation(displayPath, 1, 1), separator == '\t' ? "\\t" : separator.ToString(),
                hint: "save it comma-separated (Excel: 'CSV UTF-8 (Comma delimited)'), or replace the separators with commas"));
            return null;
        }

        var file = new CsvMailboxFile(displayPath, fullPath, bytes, header.Select(h => h.Trim()).ToList(), rows);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < file.Header.Count; i++)
        {
            var name = file.Header[i];
            if (!seen.Add(name))
            {
                diagnostics.Add(Diagnose.CsvDuplicateColumn(new SourceLocation(displayPath, 1, i + 1), Quote.Cell(name)));
            }
            else if (!KnownColumns.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                var hint = Suggestions.DidYouMean(name, KnownColumns);
                diagnostics.Add(Diagnose.CsvUnknownColumn(new SourceLocation(displayPath, 1, i + 1), Quote.Cell(name),
                    hint is null ? "" : "; " + hint));
            }
        }

        return file;
    }

    /// <summary>The separator of a header that is one column made of known column names joined by ';' or a tab.</summary>
    private static char? ForeignDelimiter(string[] header)
    {
        if (header.Length != 1)
        {
            return null;
        }

        foreach (var separator in new[] { ';', '\t', '|' })
        {
            var names = header[0].Split(separator);
            if (names.Length > 1 && names.Any(n => KnownColumns.Contains(n.Trim().Trim('"'), StringComparer.OrdinalIgnoreCase)))
            {
                return separator;
            }
        }

        return null;
    }
}

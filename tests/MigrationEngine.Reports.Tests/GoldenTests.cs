using System.Text.Json;
using NJsonSchema;

namespace MigrationEngine.Reports.Tests;

/// <summary>Each built-in template rendered from a real SQLite state, compared with Golden/ (UPDATE_GOLDEN=1 rewrites).</summary>
[Trait("Category", "Unit")]
public sealed class GoldenTests
{
    public static readonly string[] Mailboxes = ["ann@fin.example", "bob@fin.example", "cy@fin.example", "dee@fin.example"];

    [Theory]
    [InlineData("builtin:summary.md", "summary.md")]
    [InlineData("builtin:report.html", "report.html")]
    [InlineData("builtin:mailboxes.csv", "mailboxes.csv")]
    [InlineData("builtin:run.json", "run.json")]
    public async Task Builtin_template_matches_golden_file(string template, string golden)
    {
        await using var bed = await ReportTestBed.CreateAsync(Mailboxes);
        await bed.SeedStandardRunAsync();

        var result = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, template, null, ReportTestBed.Options, CancellationToken.None);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.FilesWritten);
        Assert.NotNull(result.StandardOutput);
        AssertGolden(golden, result.StandardOutput!);
    }

    [Fact]
    public async Task Run_json_follows_its_schema_and_carries_the_figures()
    {
        await using var bed = await ReportTestBed.CreateAsync(Mailboxes);
        await bed.SeedStandardRunAsync();

        var result = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, "builtin:run.json", null, ReportTestBed.Options, CancellationToken.None);

        var schemaPath = Path.Combine(ReportTestBed.SourceDirectory(), "..", "..", "schemas", "report-run.v1.schema.json");
        var schema = await JsonSchema.FromFileAsync(schemaPath);
        var errors = schema.Validate(result.StandardOutput!);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));

        using var document = JsonDocument.Parse(result.StandardOutput!);
        var root = document.RootElement;
        Assert.Equal("1", root.GetProperty("format_version").GetString());
        Assert.Equal(130.0, root.GetProperty("run").GetProperty("duration_seconds").GetDouble());
        Assert.Equal(0.12, root.GetProperty("run").GetProperty("messages_per_second").GetDouble());
        var statuses = root.GetProperty("mailboxes").EnumerateArray().Select(m => m.GetProperty("status").GetString()).ToList();
        Assert.Equal(["done", "failed", "in progress", "pending"], statuses);
        var ann = root.GetProperty("mailboxes")[0];
        Assert.Equal(12, ann.GetProperty("copied").GetInt64());
        Assert.Equal(2, ann.GetProperty("already_present").GetInt64());
        Assert.Equal(130.0, ann.GetProperty("duration_seconds").GetDouble());
        Assert.True(ann.GetProperty("verified").GetBoolean());
        var bob = root.GetProperty("mailboxes")[1];
        Assert.Equal(3, bob.GetProperty("bad_items").GetInt64());
        Assert.Contains(bob.GetProperty("bad_item_details").EnumerateArray(), d => d.GetProperty("reason").GetString()!.Contains("Invalid MIME", StringComparison.Ordinal));
        // The two identical server answers are one cause; the size-limit message is another.
        var badCauses = root.GetProperty("errors").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "bad-item").ToList();
        Assert.Equal(2, badCauses.Count);
        Assert.Equal(2, badCauses[0].GetProperty("count").GetInt64());
        Assert.Contains("{size}", badCauses[1].GetProperty("cause").GetString());
        // Copy rate: 15 copied messages over 111 seconds in 2-second buckets (at most 60 buckets).
        var rate = root.GetProperty("rate");
        Assert.Equal(2, rate.GetProperty("bucket_seconds").GetInt64());
        Assert.Equal(15, rate.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("messages").GetInt64()));
    }

    [Fact]
    public async Task Mailboxes_csv_quotes_fields_as_rfc_4180_says()
    {
        await using var bed = await ReportTestBed.CreateAsync(Mailboxes);
        await bed.SeedStandardRunAsync();

        var result = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, "builtin:mailboxes.csv", null, ReportTestBed.Options, CancellationToken.None);

        var text = result.StandardOutput!;
        var lines = text.Split("\r\n");
        Assert.Equal(6, lines.Length); // header, four mailboxes, and the empty rest after the final CRLF
        Assert.Equal("", lines[^1]);
        Assert.DoesNotContain('\n', text.Replace("\r\n", "", StringComparison.Ordinal));
        Assert.StartsWith("migration,mailbox,source_address,status,", lines[0], StringComparison.Ordinal);
        Assert.Equal("\"a,b\"", TemplateSandbox.CsvField("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", TemplateSandbox.CsvField("say \"hi\""));
        Assert.Equal("\"two\r\nlines\"", TemplateSandbox.CsvField("two\r\nlines"));
        Assert.Equal("plain", TemplateSandbox.CsvField("plain"));
        Assert.Contains(",in progress,", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plan_never_applied_reports_every_mailbox_pending_with_a_note()
    {
        await using var bed = await ReportTestBed.CreateAsync(Mailboxes);

        var result = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, null, null, ReportTestBed.Options, CancellationToken.None);

        var note = Assert.Single(result.Diagnostics);
        Assert.Equal("MIG0910", note.Code);
        Assert.False(result.HasErrors);
        Assert.Contains("has not been applied yet", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("| **Total** | 4 | 0 | 0 | 0 | 4 |", result.StandardOutput, StringComparison.Ordinal);
    }

    internal static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(ReportTestBed.SourceDirectory(), "Golden", name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing; run the tests with UPDATE_GOLDEN=1 to create it");
        var expected = File.ReadAllText(path);
        Assert.Equal(expected, actual);
    }
}

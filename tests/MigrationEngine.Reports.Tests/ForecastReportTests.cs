using System.Text.Json;
using MigrationEngine.Core.Inventory;
using MigrationEngine.Core.State;
using NJsonSchema;

namespace MigrationEngine.Reports.Tests;

/// <summary>
/// Forecast against actual in the reports: the standard run (ann copied in 122 s, bob failed, cy running, dee pending) with
/// an inventory in state. With the default rate (2 MB/s, range half to twice), ann's forecast is bytes / 2 MB/s.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ForecastReportTests
{
    private const long MiB = 1024 * 1024;

    [Theory]
    [InlineData(50 * MiB, "slower", 25.0)] // 13 s to 50 s forecast; 122 s taken
    [InlineData(200 * MiB, "within", 100.0)] // 50 s to 200 s
    [InlineData(1000 * MiB, "faster", 500.0)] // 250 s to 1000 s
    public async Task Each_inventoried_mailbox_shows_its_forecast_beside_what_its_copy_took(long annBytes, string verdict, double expectedSeconds)
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);
        await bed.SeedStandardRunAsync();
        await SaveInventoryAsync(bed, ("ann@fin.example", 14, annBytes), ("bob@fin.example", 6, 3 * MiB), ("dee@fin.example", 40, 8 * MiB));

        var json = await RenderAsync(bed, "builtin:run.json");
        var schema = await JsonSchema.FromFileAsync(Path.Combine(ReportTestBed.SourceDirectory(), "..", "..", "schemas", "report-run.v1.schema.json"));
        var errors = schema.Validate(json);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));

        using var document = JsonDocument.Parse(json);
        var mailboxes = document.RootElement.GetProperty("mailboxes");
        var ann = mailboxes[0].GetProperty("forecast");
        Assert.Equal(verdict, ann.GetProperty("verdict").GetString());
        Assert.Equal(expectedSeconds, ann.GetProperty("expected_seconds").GetDouble());
        Assert.Equal(122.0, ann.GetProperty("actual_seconds").GetDouble());
        Assert.Equal("transfer_rate", ann.GetProperty("binding").GetString());
        // bob's copy failed and dee never ran: forecast, no actual; cy has no inventory: no forecast at all.
        Assert.Equal("not_run", mailboxes[1].GetProperty("forecast").GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, mailboxes[2].GetProperty("forecast").ValueKind);
        Assert.Equal(JsonValueKind.Null, mailboxes[3].GetProperty("forecast").GetProperty("actual_seconds").ValueKind);

        var summary = document.RootElement.GetProperty("forecast");
        Assert.False(summary.GetProperty("rate_measured").GetBoolean());
        Assert.Equal(3, summary.GetProperty("mailboxes").GetInt64());
        Assert.Equal(1, summary.GetProperty("compared").GetInt64());
        Assert.Equal(verdict == "within" ? 1 : 0, summary.GetProperty("within").GetInt64());
        Assert.Equal(verdict == "within" ? 0 : 1, summary.GetProperty("outliers").GetArrayLength());

        var markdown = await RenderAsync(bed, "builtin:summary.md");
        Assert.Contains("### Forecast against actual", markdown, StringComparison.Ordinal);
        Assert.Contains(verdict == "within" ? "1 of 1 mailboxes copied in this run took as long as the forecast said." : "0 of 1 mailboxes", markdown, StringComparison.Ordinal);
        Assert.Equal(verdict != "within", markdown.Contains("| Migration | Mailbox | Forecast | Actual | Bound by |", StringComparison.Ordinal));

        var html = await RenderAsync(bed, "builtin:report.html");
        Assert.Contains($"forecast-{verdict}", html, StringComparison.Ordinal);
        Assert.Contains("<th class=\"num\">Forecast</th>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rate_is_what_copies_before_the_run_measured_and_copies_before_it_are_not_forecast_again()
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);
        await bed.SeedStandardRunAsync();
        // bob's three copied messages (15,000 bytes) were recorded in the run; pin the run's start after them, as a later run:
        // they are then what earlier runs copied, left out of what the run had to move.
        bed.SetRunTimes(1, ReportTestBed.T0.AddSeconds(30), ReportTestBed.T0.AddSeconds(130));
        await SaveInventoryAsync(bed, ("bob@fin.example", 10, 4 * MiB));

        using var document = JsonDocument.Parse(await RenderAsync(bed, "builtin:run.json"));
        var bob = document.RootElement.GetProperty("mailboxes")[1].GetProperty("forecast");
        Assert.Equal(7, bob.GetProperty("messages").GetInt64());
        Assert.Equal((4 * MiB) - 15_000, bob.GetProperty("bytes").GetInt64());
    }

    private static async Task<string> RenderAsync(ReportTestBed bed, string template)
    {
        var result = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, template, null, ReportTestBed.Options, CancellationToken.None);
        Assert.Empty(result.Diagnostics);
        return result.StandardOutput!;
    }

    private static async Task SaveInventoryAsync(ReportTestBed bed, params (string Target, long Messages, long Bytes)[] mailboxes)
    {
        var records = mailboxes.Select(m => new InventoryRecord("finance-mail", m.Target, ReportTestBed.T0, InventoryJson.ToJson(new MailboxInventory
        {
            Migration = "finance-mail",
            Source = m.Target.Replace("@", ".old@", StringComparison.Ordinal),
            Target = m.Target,
            Folders = [new FolderInventory { Path = "INBOX", Messages = m.Messages, Bytes = m.Bytes }],
            RecordedAt = ReportTestBed.T0,
        }).ToJsonString())).ToList();
        await bed.State.SaveInventoryAsync(bed.Plan.Name, records, CancellationToken.None);
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace MigrationEngine.Reports.Tests;

[Trait("Category", "Unit")]
public sealed partial class LargePlanTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Summary_of_5000_mailboxes_fits_a_pull_request_comment_and_says_what_it_left_out()
    {
        var mailboxes = Enumerable.Range(1, 5000).Select(i => $"user{i:0000}@bulk.example").ToList();
        await using var bed = await ReportTestBed.CreateAsync(mailboxes);
        await bed.SeedStandardRunAsync();

        var clock = Stopwatch.StartNew();
        var result = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, null, null, ReportTestBed.Options, CancellationToken.None);
        var summaryTime = clock.Elapsed;
        clock.Restart();
        var html = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, "builtin:report.html", null, ReportTestBed.Options, CancellationToken.None);
        var htmlTime = clock.Elapsed;

        Assert.Empty(result.Diagnostics);
        var text = result.StandardOutput!;
        Assert.True(text.Length < 65_000, $"{text.Length} characters");
        var left = LeftOut().Match(text);
        Assert.True(left.Success, "the summary must say how many mailboxes it left out");
        var shown = text.Split('\n').Count(l => l.StartsWith("| finance-mail | ", StringComparison.Ordinal));
        Assert.Equal(5000, shown + int.Parse(left.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(shown > 100, $"only {shown} rows shown");

        Assert.Empty(html.Diagnostics);
        Assert.Equal(5000, Regex.Count(html.StandardOutput!, "<tr><td>finance-mail</td><td>user"));
        output.WriteLine($"summary.md: {text.Length} chars, {shown} rows, {summaryTime.TotalMilliseconds:0} ms; report.html: {html.StandardOutput!.Length} chars, {htmlTime.TotalMilliseconds:0} ms");
    }

    [GeneratedRegex(@"… and (\d+) more mailboxes")]
    private static partial Regex LeftOut();
}

using System.Diagnostics;
using Xunit.Abstractions;

namespace MigrationEngine.Reports.Tests;

/// <summary>report.html opened in a real headless Chromium, offline: it renders, has both charts, and logs no errors.</summary>
[Trait("Category", "Server")]
public sealed class HtmlInBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Report_html_renders_offline_in_chromium_with_both_charts_and_no_console_errors()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install it (apt-get install -y chromium); this test needs a real browser");
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);
        await bed.SeedStandardRunAsync();
        var htmlPath = Path.Combine(bed.Folder, "report.html");
        var result = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, "builtin:report.html", htmlPath, ReportTestBed.Options, CancellationToken.None);
        Assert.Equal([htmlPath], result.FilesWritten);
        var url = new Uri(htmlPath).AbsoluteUri;
        var screenshot = Path.Combine(bed.Folder, "report.png");

        var (dom, _) = await RunChromiumAsync(bed.Folder, "dom", "--dump-dom", url);
        var (_, log) = await RunChromiumAsync(bed.Folder, "shot", $"--screenshot={screenshot}", "--window-size=1280,2000", "--enable-logging=stderr", "--v=0", url);

        Assert.Contains("id=\"chart-mailboxes\"", dom, StringComparison.Ordinal);
        Assert.Contains("id=\"chart-rate\"", dom, StringComparison.Ordinal);
        Assert.Contains("<polyline class=\"rate\"", dom, StringComparison.Ordinal);
        Assert.Equal(GoldenTests.Mailboxes.Length, CountOf(dom, "<rect class=\"bar\""));
        var consoleErrors = log.Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal) && (l.Contains("ERROR", StringComparison.Ordinal) || l.Contains("rror", StringComparison.Ordinal))).ToList();
        Assert.True(consoleErrors.Count == 0, string.Join('\n', consoleErrors));
        var size = new FileInfo(screenshot).Length;
        output.WriteLine($"screenshot {size} bytes");
        Assert.True(size > 20_000, $"the screenshot has only {size} bytes: the page did not render");
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static async Task<(string Stdout, string Stderr)> RunChromiumAsync(string folder, string profile, params string[] arguments)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={Path.Combine(folder, "chromium-" + profile)}",
                 }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Only this Chromium (and its children) is stopped: it is ours, found by its own pid.
            process.Kill(entireProcessTree: true);
            Assert.Fail("Chromium did not finish within 60 s");
        }

        return (await stdout, await stderr);
    }
}

using System.Net;
using System.Text.RegularExpressions;
using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>
/// One source of the numbers: after a run, apply's summary on the console, <c>status</c>, <c>summary.md</c> and
/// <c>report.html</c> give the same totals (the "In total" line, word for word, compared with a golden file), the run's
/// own figures agree between the console and the reports, and messages left out by folder rules and filters are counted
/// and named by their rule.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class AccountingTests
{
    private static readonly string[] Users = ["alice@contoso.com", "bob@contoso.com"];

    [Fact]
    public async Task Console_status_summary_md_and_html_give_the_same_counts_after_each_run()
    {
        using var temp = new TempDirectory();
        WritePlan(temp, "accounting");

        var outputs = new List<string>();
        foreach (var run in new[] { "first", "second" })
        {
            var apply = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
            Assert.True(apply.ExitCode == 0, apply.All);
            var status = await MigrateCli.RunAsync(temp.Path, "status", "plan.yaml");
            Assert.True(status.ExitCode == 0, status.All);
            var markdown = File.ReadAllText(temp.Combine("reports", "summary.md"));
            var html = File.ReadAllText(temp.Combine("reports", "report.html"));

            // The state's totals: one line, the same in all four.
            var total = TotalLine(apply.Out);
            Assert.Equal(total, TotalLine(status.Out));
            Assert.Equal(total, TotalLine(markdown));
            Assert.Equal(total, TotalLine(WebUtility.HtmlDecode(html)));

            // This run's figures: the console's run line and summary.md's say the same.
            var consoleRun = RunDetails().Match(apply.Out);
            Assert.True(consoleRun.Success, apply.Out);
            var markdownRun = RunDetails().Match(markdown);
            Assert.Equal(consoleRun.Groups[2].Value, markdownRun.Groups[2].Value);
            Assert.Equal(consoleRun.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), markdownRun.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal));
            outputs.Add($"{run} run: copied {consoleRun.Groups[1].Value} in this run: {consoleRun.Groups[2].Value}\n{run} run: {total}");
        }

        // Copied once, then present in state: the second run copies nothing and says 0 already present for itself.
        GoldenTests.AssertGolden("accounting.txt", string.Join('\n', outputs) + "\n");
    }

    [Fact]
    public async Task Messages_left_out_by_folder_rules_and_filters_are_named_by_their_rule()
    {
        using var temp = new TempDirectory();
        WritePlan(temp, "left-out");

        var apply = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(apply.ExitCode == 0, apply.All);
        // Every third message is in Archive/2023: 10 per mailbox, 20 in all, named by the exclude rule.
        Assert.Matches(@"\n\s+20  in folder Archive/2023, left out by folders.exclude 'Archive/2023' \(e\.g\. ", apply.Out);
        Assert.Contains("larger than filters.maxMessageSize 2 KB", apply.Out, StringComparison.Ordinal);
        var markdown = File.ReadAllText(temp.Combine("reports", "summary.md"));
        Assert.Contains("| 20 | in folder Archive/2023, left out by folders.exclude 'Archive/2023' |", markdown, StringComparison.Ordinal);

        // Copied, already present and left out add up to every source message (60), none unaccounted for.
        var figures = Regex.Match(TotalLine(apply.Out), @"In total: (\d+) copied \([^)]*\), (\d+) already present, (\d+) left out by rules");
        Assert.True(figures.Success, apply.Out);
        Assert.Equal(60, int.Parse(figures.Groups[1].Value) + int.Parse(figures.Groups[2].Value) + int.Parse(figures.Groups[3].Value));
    }

    /// <summary>30 messages in each of two mailboxes; Archive/2023 (every third message) left out by a folder rule, messages over 2 KB by a filter.</summary>
    private static void WritePlan(TempDirectory temp, string name)
    {
        Corpus.WriteMaildirs(temp.Combine("src"), Users, 30);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport(name, "maildir", "src", "out", Users,
            "      folders:\n        exclude: [\"Archive/2023\"]\n      filters:\n        maxMessageSize: 2KB\n") + """
              reports:
                - template: builtin:summary.md
                  output: reports/summary.md
                - template: builtin:report.html
                  output: reports/report.html
            """);
    }

    private static string TotalLine(string text)
    {
        var match = TotalPattern().Match(text);
        Assert.True(match.Success, "no 'In total' line in:\n" + text);
        return match.Value;
    }

    [GeneratedRegex(@"In total: [^\n<]*pending\.")]
    private static partial Regex TotalPattern();

    [GeneratedRegex(@"Copied ([\d,]+) messages \([^)]*\) in this run: ([^;\n]*)")]
    private static partial Regex RunDetails();
}

using System.Text.Json;
using MigrationEngine.Cli.Hosting;
using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>What apply shows while it runs: every mailbox counted (pending ones too), rates in their own units, JSON throughout.</summary>
[Trait("Category", "Unit")]
public sealed class ProgressOutputTests
{
    private static readonly string[] Users = ["alice@contoso.com", "bob@contoso.com", "carol@contoso.com"];

    [Fact]
    public async Task Json_log_format_makes_every_line_on_stderr_a_json_event()
    {
        using var temp = new TempDirectory();
        Corpus.WriteMaildirs(temp.Combine("src"), Users, 5);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("json-logs", "maildir", "src", "out", Users) + """
              reports:
                - template: builtin:summary.md
                  output: out/summary.md
            """);

        var apply = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml", "--log-format", "json", "--verbosity", "detailed");
        Assert.True(apply.ExitCode == 0, apply.All);
        var lines = apply.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var events = new List<string>();
        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line);
            Assert.True(document.RootElement.TryGetProperty("@t", out _), line);
            if (document.RootElement.TryGetProperty("Event", out var name))
            {
                events.Add(name.GetString()!);
            }
        }

        Assert.Contains("run-started", events);
        Assert.Equal(3, events.Count(e => e == "mailbox-finished"));
        Assert.Contains("report-written", events);
    }

    [Fact]
    public async Task Plain_progress_counts_every_mailbox_of_the_run()
    {
        using var temp = new TempDirectory();
        Corpus.WriteMaildirs(temp.Combine("src"), Users, 5);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("lines", "maildir", "src", "out", Users));

        var apply = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(apply.ExitCode == 0, apply.All);
        Assert.Contains("(3 of 3 mailboxes done, 0 running, 0 pending)", apply.Error, StringComparison.Ordinal);
        Assert.Contains(" of 3 mailboxes done", apply.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Overall_progress_counts_pending_mailboxes_and_rates_keep_their_units()
    {
        var progress = new RunProgress(10);
        progress.Started("m", "a", 100);
        progress.Processed("m", "a", 50, 5_000_000);
        Assert.Equal("0 of 10 mailboxes done, 1 running, 9 pending", progress.MailboxLine);
        // Half of one mailbox of ten: the overall bar is at 5 %, not at the running mailbox's 50 %.
        Assert.Equal(0.5, progress.CompletedMailboxes, 3);

        progress.MailboxFinished(new MailboxResult { Migration = "m", Mailbox = "a", SourceAddress = "a", Outcome = MailboxOutcome.Succeeded });
        Assert.Equal("1 of 10 mailboxes done, 0 running, 9 pending", progress.MailboxLine);
        Assert.Equal(1.0, progress.CompletedMailboxes, 3);
        // Bytes per second and messages per second are each counted in their own unit (5 MB in 50 messages).
        var rate = progress.PerSecond;
        Assert.Equal(100_000, rate.Bytes / rate.Messages, 1);
        Assert.Contains("50 messages, 4.8 MB, ", progress.RateLine, StringComparison.Ordinal);
        Assert.Matches(@"\d+ msg/s, [\d.]+ [KMG]?B/s$", progress.RateLine);
    }

    [Fact]
    public void Time_left_follows_the_share_of_mailboxes_done()
    {
        Assert.Equal("1h 05m", RunProgress.FormatRemaining(TimeSpan.FromMinutes(65)));
        Assert.Equal("2m 03s", RunProgress.FormatRemaining(TimeSpan.FromSeconds(123)));
        Assert.Equal("unknown", RunProgress.FormatRemaining(null));
        Assert.Null(new RunProgress(4).Remaining);
    }
}

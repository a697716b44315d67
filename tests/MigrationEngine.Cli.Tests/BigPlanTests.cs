using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MigrationEngine.Core;
using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.Core.Planning;
using MigrationEngine.TestSupport;
using YamlDotNet.RepresentationModel;

namespace MigrationEngine.Cli.Tests;

/// <summary>
/// Plans of thousands of mailboxes: text and Markdown summarise (their size does not grow with the mailboxes), JSON streams
/// the same document the whole-document renderer made, and the pull-request comment the shipped pipelines compose stays
/// under GitHub's 65,536-character limit.
/// </summary>
[Trait("Category", "Server")]
public sealed class BigPlanTests
{
    /// <summary>GitHub refuses an issue or pull-request comment body over this many characters.</summary>
    private const int GitHubCommentLimit = 65_536;

    [Fact]
    public async Task The_pull_request_comment_for_5000_mailboxes_fits_in_a_github_comment()
    {
        using var temp = new TempDirectory();
        WriteCsvPlan(temp.Combine("base"), 1);
        WriteCsvPlan(temp.Combine("head"), 5000);
        var plan = await MigrateCli.RunAsync(temp.Combine("head"), "plan", "plan.yaml", "--output", "markdown");
        Assert.True(plan.ExitCode == 0, plan.All);
        var diff = await MigrateCli.RunAsync(temp.Path, "diff", "base/plan.yaml", "head/plan.yaml", "--output", "markdown");
        Assert.True(diff.ExitCode is 0 or 1, diff.All);
        File.WriteAllText(temp.Combine("plan.md"), plan.Out);
        File.WriteAllText(temp.Combine("diff.md"), diff.Out);

        // The comment is composed by the pipeline's own step, run as the runner runs it.
        var compose = ComposeStep("github-actions.yml");
        var (exit, error) = await RunBashAsync(temp.Path, compose);
        Assert.True(exit == 0, error);
        var comment = File.ReadAllText(temp.Combine("comment.md"));
        Assert.True(comment.Length < GitHubCommentLimit, $"comment of {comment.Length} characters");
        Assert.StartsWith("### Migration plan `big`", comment, StringComparison.Ordinal);
        Assert.Contains("| `wave` (imap, old -> new) | 5,000 | 25,001 | 20,001 | 0 | 0 | 5,000 |", comment, StringComparison.Ordinal);
        Assert.Contains("First 25 of 25,001 changes", comment, StringComparison.Ordinal);
        Assert.Contains("--full --output markdown", comment, StringComparison.Ordinal);
        // The diff of 4,999 added mailboxes does not fit: its summary and first rows do, whole rows, then where the rest is.
        Assert.True(diff.Out.Length > GitHubCommentLimit, $"diff of {diff.Out.Length} characters");
        Assert.Contains("### Plan diff: `big`", comment, StringComparison.Ordinal);
        Assert.Contains("4999 change(s): 4999 added", comment, StringComparison.Ordinal);
        Assert.Contains("| + | mailbox `user1000@contoso.com` | added", comment, StringComparison.Ordinal);
        Assert.Matches(@"\|\n\n… the diff has 4999 changes in all \(\d+ characters\): every one is in the artifact 'migration-plan'", comment);
    }

    [Fact]
    public async Task Text_and_markdown_summaries_do_not_grow_with_the_mailboxes_and_full_lists_every_step()
    {
        using var temp = new TempDirectory();
        WriteCsvPlan(temp.Combine("small"), 30);
        WriteCsvPlan(temp.Combine("large"), 3000);
        foreach (var format in new[] { "text", "markdown" })
        {
            var small = await MigrateCli.RunAsync(temp.Combine("small"), "plan", "plan.yaml", "--output", format);
            var large = await MigrateCli.RunAsync(temp.Combine("large"), "plan", "plan.yaml", "--output", format);
            Assert.True(large.ExitCode == 0, large.All);
            // Only the digits of the counts differ.
            Assert.InRange(large.Out.Length - small.Out.Length, 0, 200);

            var full = await MigrateCli.RunAsync(temp.Combine("large"), "plan", "plan.yaml", "--output", format, "--full");
            Assert.True(full.ExitCode == 0, full.All);
            Assert.Contains("verify/wave/user2999@contoso.com", full.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("verify/wave/user2999@contoso.com", large.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Streamed_json_is_the_document_the_whole_document_renderer_makes()
    {
        using var temp = new TempDirectory();
        WriteCsvPlan(temp.Path, 400);
        var streamed = await MigrateCli.RunAsync(temp.Path, "plan", "plan.yaml", "--output", "json");
        Assert.True(streamed.ExitCode == 0, streamed.All);

        var loaded = PlanPipeline.Load(temp.Combine("plan.yaml"), "plan.yaml");
        Assert.False(loaded.HasErrors);
        var graph = Core.Compilation.PlanCompiler.Compile(loaded.Plan!);
        var result = await Planner.PlanAsync(loaded.Plan!, graph, null, CancellationToken.None);
        var whole = PlanRenderer.Json(result with { StateLocation = "(none)" }, "plan.yaml");
        Assert.Equal(whole, streamed.Out);
        using var document = JsonDocument.Parse(streamed.Out);
        Assert.Equal(2001, document.RootElement.GetProperty("steps").GetArrayLength());
    }

    /// <summary>A plan of <paramref name="mailboxes"/> mailboxes from a CSV, IMAP into a Maildir (plan never connects).</summary>
    internal static void WriteCsvPlan(string folder, int mailboxes)
    {
        Directory.CreateDirectory(folder);
        var csv = new StringBuilder("EmailAddress,UserName,Password\n");
        for (var i = 0; i < mailboxes; i++)
        {
            csv.Append("user").Append(i).Append("@contoso.com,user").Append(i).Append("@old.example,env:USER_PASSWORD\n");
        }

        File.WriteAllText(Path.Combine(folder, "users.csv"), csv.ToString());
        File.WriteAllText(Path.Combine(folder, "plan.yaml"), """
            apiVersion: migration-engine/v1
            kind: MigrationPlan
            metadata:
              name: big
            spec:
              sources:
                old:
                  type: imap
                  host: imap.old.example
                  port: 993
                  tls: implicit
                  auth:
                    username: "{mailbox}*admin"
                    password: env:OLD_ADMIN_PASSWORD
              targets:
                new:
                  type: maildir
                  path: out
              mailboxSets:
                from-csv:
                  csv: users.csv
              migrations:
                - name: wave
                  type: imap
                  from: old
                  to: new
                  mailboxSets: [from-csv]
            """);
    }

    /// <summary>The run script of the step that composes the pull-request comment.</summary>
    private static string ComposeStep(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepoPaths.Root, "plans", "ci", file)))
        {
            yaml.Load(reader);
        }

        var steps = ((YamlMappingNode)yaml.Documents[0].RootNode)["jobs"].AllNodes.OfType<YamlMappingNode>()
            .Where(step => step.Children.TryGetValue(new YamlScalarNode("name"), out var name) && name.ToString() == "Compose the pull-request comment")
            .ToList();
        var step = Assert.Single(steps);
        return step["run"].ToString();
    }

    private static async Task<(int Exit, string Error)> RunBashAsync(string folder, string script)
    {
        var info = new ProcessStartInfo("bash") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add("-euo");
        info.ArgumentList.Add("pipefail");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, error);
    }
}

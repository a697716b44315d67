using System.Diagnostics;
using System.Globalization;
using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>unlock against a running apply process: refused without --force; with it the apply loses the lease, stops the mailbox safely, and a re-run converges.</summary>
[Trait("Category", "Server")]
public sealed class UnlockLiveApplyTests
{
    private static readonly string[] Users = ["alice@contoso.com"];

    [Fact]
    public async Task Unlock_of_a_live_apply_is_refused_and_with_force_the_apply_stops_the_mailbox_without_a_duplicate()
    {
        using var temp = new TempDirectory();
        var expected = Corpus.WriteMaildirs(temp.Combine("src"), Users, 12000, seed: 5);
        File.WriteAllText(temp.Combine("plan.yaml"), PlanYaml.FileImport("live-unlock", "maildir", "src", "out", Users));
        using var process = Process.Start(MigrateCli.StartInfo(temp.Path, null, "apply", "plan.yaml"))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string? line;
        while ((line = await process.StandardError.ReadLineAsync()) is not null && !line.Contains("started", StringComparison.Ordinal))
        {
        }

        var stderr = process.StandardError.ReadToEndAsync();
        var pid = process.Id.ToString(CultureInfo.InvariantCulture);

        var refused = await MigrateCli.RunAsync(temp.Path, "unlock", "plan.yaml");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("MIG0573", refused.Error, StringComparison.Ordinal);
        Assert.Contains($"pid {pid}", refused.Error, StringComparison.Ordinal);
        Assert.False(process.HasExited, "the apply finished before unlock --force could be tried; the corpus is too small for this machine");

        var forced = await MigrateCli.RunAsync(temp.Path, "unlock", "plan.yaml", "--force");
        Assert.True(forced.ExitCode == 0, forced.All);
        Assert.Contains("Broke the lease of mailbox alice@contoso.com", forced.Out, StringComparison.Ordinal);

        // The running apply notices at its next ledger write or heartbeat and stops the mailbox, saying why.
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 1, $"exit {process.ExitCode}: {output}");
        Assert.Contains("MIG0570", output, StringComparison.Ordinal);

        var rerun = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(rerun.ExitCode == 0, rerun.All);
        // Every message once: the target's files are exactly the source's (a duplicate would add a second hash).
        Assert.Equal(expected["alice@contoso.com"].Order(), Corpus.HashMaildirTree(temp.Combine("out", "alice@contoso.com")).Order());
    }
}

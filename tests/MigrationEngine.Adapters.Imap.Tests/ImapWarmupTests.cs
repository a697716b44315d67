namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// The start-up warm-up's MailKit session (<see cref="ImapWarmup"/>) runs to its end against its scripted server: a
/// MailKit that asked something the script does not answer would fail here, not leave the warm-up silently half done.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ImapWarmupTests
{
    [Fact]
    public async Task The_scripted_session_logs_in_lists_as_a_delta_pass_does_and_logs_out()
    {
        var server = new ImapWarmup.ScriptedServer();
        await ImapWarmup.RunAsync(server);

        var verbs = server.Commands.Select(c => string.Join(' ', c.Split(' ').Skip(1).Take(2))).ToList();
        Assert.Equal("AUTHENTICATE PLAIN", verbs[0]);
        Assert.Equal("NAMESPACE", verbs[1]);
        Assert.Equal("LOGOUT", verbs[^1]);
        // The source's listing with its cursors, then the target's folders and counts.
        var listings = server.Commands.Where(c => c.Contains(" LIST \"\" \"*\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, listings.Count);
        Assert.Contains("STATUS (", listings[0], StringComparison.Ordinal);
        Assert.Contains("UIDNEXT", listings[0], StringComparison.Ordinal);
        Assert.DoesNotContain("STATUS", listings[1], StringComparison.Ordinal);
        Assert.Contains("STATUS (MESSAGES)", listings[2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_the_script_does_not_know_is_answered_OK_with_its_own_tag()
    {
        Assert.Equal("X7 OK Completed.\r\n", ImapWarmup.ScriptedServer.Answer("X7 NOOP"));
        Assert.StartsWith("* BYE", ImapWarmup.ScriptedServer.Answer("X8 LOGOUT"), StringComparison.Ordinal);
    }
}

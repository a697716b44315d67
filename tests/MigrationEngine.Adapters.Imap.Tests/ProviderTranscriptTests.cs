using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// Behaviours of IMAP servers we cannot run here, from recorded conversations replayed without a server
/// (<see cref="ImapTranscript"/>, in MailKit's own style); Dovecot covers the rest and Gmail has its own file.
/// - Apple's iCloud and Yahoo answer without SPECIAL-USE (RFC 6154) and name their special folders their own way: iCloud
///   "Sent Messages" and "Deleted Messages" (the names Apple's Mail creates), Yahoo "Bulk Mail" and "Draft". Read with the
///   generic preset, each must land in the target's own special folder, not beside it.
/// - Exchange Online answers a throttled command with NO "Request is throttled. Suggested Backoff Time: N milliseconds"
///   (the wording Microsoft's IMAP throttling gives, also matched by <c>ImapSession.IsThrottling</c>): a wait of N ms, not a failure.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ProviderTranscriptTests
{
    private const string Password = "provider-app-password";

    /// <summary>A server with neither SPECIAL-USE nor XLIST nor LIST-STATUS: MailKit lists, then asks STATUS per folder.</summary>
    private static string Login(string greeting) => $"""
        S: * OK {greeting}
        C: CAPABILITY
        S: * CAPABILITY IMAP4rev1 AUTH=PLAIN
        S: {"{tag}"} OK CAPABILITY completed
        C: AUTHENTICATE PLAIN
        S: * CAPABILITY IMAP4rev1 NAMESPACE UIDPLUS CHILDREN UNSELECT
        S: {"{tag}"} OK AUTHENTICATE completed
        C: NAMESPACE
        S: * NAMESPACE (("" "/")) NIL NIL
        S: {"{tag}"} OK NAMESPACE completed
        C: LIST "" "INBOX"
        S: * LIST (\HasNoChildren) "/" "INBOX"
        S: {"{tag}"} OK LIST completed
        """;

    /// <summary>The folder listing and the STATUS of each folder (in listing order), INBOX's own STATUS last.</summary>
    private static string Listing(params string[] folders)
    {
        var lines = new List<string> { "C: LIST \"\" \"*\"", "S: * LIST (\\HasNoChildren) \"/\" \"INBOX\"" };
        lines.AddRange(folders.Select(f => $"S: * LIST (\\HasNoChildren) \"/\" \"{f}\""));
        lines.Add("S: {tag} OK LIST completed");
        var uidValidity = 100;
        foreach (var folder in folders.Prepend("INBOX"))
        {
            // MailKit sends a name as an atom unless it needs quoting.
            var name = folder.Contains(' ', StringComparison.Ordinal) ? $"\"{folder}\"" : folder;
            lines.Add($"C: STATUS {name} (MESSAGES UIDNEXT UIDVALIDITY)");
            lines.Add($"S: * STATUS \"{folder}\" (MESSAGES 0 UIDNEXT 1 UIDVALIDITY {uidValidity++})");
            lines.Add("S: {tag} OK STATUS completed");
        }

        return string.Join('\n', lines);
    }

    [Fact]
    public async Task ICloud_sent_and_deleted_messages_are_read_as_the_special_folders_they_are()
    {
        var (source, connection) = await OpenAsync(
            Login("iCloud IMAP4 service is ready") + "\n" + Listing("Archive", "Deleted Messages", "Drafts", "Junk", "Notes", "Sent Messages", "Trips"));

        var folders = (await source.ListFoldersAsync(CancellationToken.None)).ToDictionary(f => f.Path, f => f.SpecialUse);

        Assert.Equal(SpecialUse.Sent, folders["Sent Messages"]);
        Assert.Equal(SpecialUse.Trash, folders["Deleted Messages"]);
        Assert.Equal(SpecialUse.Junk, folders["Junk"]);
        Assert.Equal(SpecialUse.Drafts, folders["Drafts"]);
        Assert.Equal(SpecialUse.Archive, folders["Archive"]);
        // Apple keeps notes as messages in "Notes", and the user's own folders are ordinary folders.
        Assert.Equal(SpecialUse.None, folders["Notes"]);
        Assert.Equal(SpecialUse.None, folders["Trips"]);
        Assert.True(connection.Finished, "the transcript was not played to its end");
    }

    [Fact]
    public async Task Yahoo_bulk_mail_and_draft_are_read_as_junk_and_drafts()
    {
        var (source, connection) = await OpenAsync(
            Login("IMAP4rev1 imapgate ready") + "\n" + Listing("Archive", "Bulk Mail", "Draft", "Sent", "Trash", "Receipts"));

        var folders = (await source.ListFoldersAsync(CancellationToken.None)).ToDictionary(f => f.Path, f => f.SpecialUse);

        Assert.Equal(SpecialUse.Junk, folders["Bulk Mail"]);
        Assert.Equal(SpecialUse.Drafts, folders["Draft"]);
        Assert.Equal(SpecialUse.Sent, folders["Sent"]);
        Assert.Equal(SpecialUse.Trash, folders["Trash"]);
        Assert.Equal(SpecialUse.None, folders["Receipts"]);
        Assert.True(connection.Finished, "the transcript was not played to its end");
    }

    [Fact]
    public async Task A_folder_named_like_another_servers_special_folder_stays_ordinary_on_an_exchange_source()
    {
        var (source, _) = await OpenAsync(
            Login("The Microsoft Exchange IMAP4 service is ready.") + "\n" + Listing("Sent Messages", "Sent Items"), preset: "exchange");

        var folders = (await source.ListFoldersAsync(CancellationToken.None)).ToDictionary(f => f.Path, f => f.SpecialUse);

        Assert.Equal(SpecialUse.None, folders["Sent Messages"]);
        Assert.Equal(SpecialUse.Sent, folders["Sent Items"]);
    }

    [Fact]
    public async Task Exchange_online_throttling_is_a_wait_of_the_suggested_backoff_not_a_failure()
    {
        var (source, _) = await OpenAsync(
            Login("The Microsoft Exchange IMAP4 service is ready.") + "\n"
            + "C: LIST \"\" \"*\"\n"
            + "S: {tag} NO Request is throttled. Suggested Backoff Time: 2500 milliseconds",
            preset: "exchange");

        var error = await Assert.ThrowsAsync<MigrationException>(() => source.ListFoldersAsync(CancellationToken.None));

        Assert.True(error.Transient);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), error.RetryAfter);
        Assert.Contains("Request is throttled", error.Diagnostic.Message, StringComparison.Ordinal);
    }

    /// <summary>A source on the given preset whose one connection replays <paramref name="transcript"/>.</summary>
    private static async Task<(IMailSource Source, ImapTranscript Connection)> OpenAsync(string transcript, string? preset = null)
    {
        Environment.SetEnvironmentVariable("PROVIDER_TRANSCRIPT_PW", Password);
        var context = TestPlans.Context(
            TestPlans.Endpoint(EndpointRole.Source, 993, authUser: "anna@provider.test", authPassword: "env:PROVIDER_TRANSCRIPT_PW", preset: preset),
            "anna@provider.test", "anna@contoso.test");
        var connection = new ImapTranscript(transcript);
        var session = new ImapSession(ImapSettings.From(context), new SpoolBudget(SpoolBudget.DefaultMaxInMemoryBytes, SpoolBudget.DefaultMaxInMemoryMessageBytes))
        {
            ConnectOverride = _ => Task.FromResult<Stream>(connection),
        };
        await session.ConnectAsync(CancellationToken.None);
        return (ImapSourceFactory.Shape(new ImapSource(session), context), connection);
    }
}

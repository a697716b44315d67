using System.Globalization;
using System.Text;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// Gmail's own IMAP extensions (X-GM-EXT-1) and its throttling answers, from recorded protocol transcripts replayed without a
/// server (<see cref="ImapTranscript"/>), in the manner of MailKit's tests. Google documents the extensions at
/// https://developers.google.com/workspace/gmail/imap/imap-extensions; the answers to an account past its bandwidth limits are
/// those admins report (imapsync's Gmail FAQ): NO or BYE with [OVERQUOTA] "Account exceeded command or bandwidth limits.",
/// "Too many simultaneous connections", and "BYE Session expired" for a session that must log in again.
/// </summary>
[Trait("Category", "Unit")]
public sealed class GmailTranscriptTests
{
    internal const string Login = """
        S: * OK Gimap ready for requests from 127.0.0.1 t1mb12345
        C: CAPABILITY
        S: * CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN AUTH=OAUTHBEARER
        S: {tag} OK Thats all she wrote! t1mb12345
        C: AUTHENTICATE PLAIN
        S: * CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 UIDPLUS COMPRESS=DEFLATE ENABLE MOVE CONDSTORE ESEARCH UTF8=ACCEPT LIST-EXTENDED LIST-STATUS LITERAL- SPECIAL-USE APPENDLIMIT=35651584
        S: {tag} OK anna@gmail.test authenticated (Success)
        C: NAMESPACE
        S: * NAMESPACE (("" "/")) NIL NIL
        S: {tag} OK Success
        C: LIST "" "INBOX" RETURN (SUBSCRIBED CHILDREN)
        S: * LIST (\HasNoChildren \Subscribed) "/" "INBOX"
        S: {tag} OK Success
        C: LIST (SPECIAL-USE) "" "*" RETURN (SUBSCRIBED CHILDREN)
        S: * LIST (\All \HasNoChildren \Subscribed) "/" "[Gmail]/All Mail"
        S: * LIST (\Drafts \HasNoChildren \Subscribed) "/" "[Gmail]/Drafts"
        S: * LIST (\HasNoChildren \Important \Subscribed) "/" "[Gmail]/Important"
        S: * LIST (\HasNoChildren \Sent \Subscribed) "/" "[Gmail]/Sent Mail"
        S: * LIST (\HasNoChildren \Junk \Subscribed) "/" "[Gmail]/Spam"
        S: * LIST (\Flagged \HasNoChildren \Subscribed) "/" "[Gmail]/Starred"
        S: * LIST (\HasNoChildren \Subscribed \Trash) "/" "[Gmail]/Trash"
        S: {tag} OK Success
        C: LIST "" "[Gmail]" RETURN (SUBSCRIBED CHILDREN)
        S: * LIST (\HasChildren \Noselect) "/" "[Gmail]"
        S: {tag} OK Success
        """;

    /// <summary>Gmail's folders with LIST-STATUS: every message is in All Mail (5) and in its labels' folders.</summary>
    private const string Folders = """
        C: LIST "" "*" RETURN (SUBSCRIBED CHILDREN STATUS (MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ))
        S: * LIST (\HasNoChildren \Subscribed) "/" "INBOX"
        S: * STATUS "INBOX" (MESSAGES 2 UIDNEXT 40 UIDVALIDITY 11 HIGHESTMODSEQ 900)
        S: * LIST (\HasChildren \Noselect) "/" "[Gmail]"
        S: * LIST (\All \HasNoChildren \Subscribed) "/" "[Gmail]/All Mail"
        S: * STATUS "[Gmail]/All Mail" (MESSAGES 5 UIDNEXT 106 UIDVALIDITY 12 HIGHESTMODSEQ 900)
        S: * LIST (\Drafts \HasNoChildren \Subscribed) "/" "[Gmail]/Drafts"
        S: * STATUS "[Gmail]/Drafts" (MESSAGES 0 UIDNEXT 1 UIDVALIDITY 13 HIGHESTMODSEQ 900)
        S: * LIST (\HasNoChildren \Important \Subscribed) "/" "[Gmail]/Important"
        S: * STATUS "[Gmail]/Important" (MESSAGES 1 UIDNEXT 9 UIDVALIDITY 14 HIGHESTMODSEQ 900)
        S: * LIST (\HasNoChildren \Sent \Subscribed) "/" "[Gmail]/Sent Mail"
        S: * STATUS "[Gmail]/Sent Mail" (MESSAGES 1 UIDNEXT 7 UIDVALIDITY 15 HIGHESTMODSEQ 900)
        S: * LIST (\HasNoChildren \Junk \Subscribed) "/" "[Gmail]/Spam"
        S: * STATUS "[Gmail]/Spam" (MESSAGES 1 UIDNEXT 3 UIDVALIDITY 16 HIGHESTMODSEQ 900)
        S: * LIST (\Flagged \HasNoChildren \Subscribed) "/" "[Gmail]/Starred"
        S: * STATUS "[Gmail]/Starred" (MESSAGES 1 UIDNEXT 5 UIDVALIDITY 17 HIGHESTMODSEQ 900)
        S: * LIST (\HasNoChildren \Subscribed \Trash) "/" "[Gmail]/Trash"
        S: * STATUS "[Gmail]/Trash" (MESSAGES 0 UIDNEXT 1 UIDVALIDITY 18 HIGHESTMODSEQ 900)
        S: * LIST (\HasChildren \Subscribed) "/" "Work"
        S: * STATUS "Work" (MESSAGES 1 UIDNEXT 30 UIDVALIDITY 19 HIGHESTMODSEQ 900)
        S: * LIST (\HasNoChildren \Subscribed) "/" "Work/Projects"
        S: * STATUS "Work/Projects" (MESSAGES 1 UIDNEXT 8 UIDVALIDITY 20 HIGHESTMODSEQ 900)
        S: {tag} OK Success
        """;

    internal const string Logout = """
        C: LOGOUT
        S: * BYE LOGOUT Requested
        S: {tag} OK 73 good day (Success)
        """;

    private static readonly (uint Uid, string Labels, string Flags, string Subject)[] AllMail =
    [
        (101, "(\"\\\\Inbox\" Work)", "\\Seen", "inbox and work"),
        (102, "()", "\\Seen", "archived"),
        (103, "(\"\\\\Sent\")", "\\Seen", "sent"),
        (104, "(\"Work/Projects\" \"\\\\Starred\" \"\\\\Important\")", "\\Flagged", "project"),
        (105, "(\"\\\\Inbox\")", "", "inbox only"),
    ];

    private static byte[] Body(string subject) => Corpus.Message(subject, subject.Replace(' ', '-') + "@gmail.test");

    private static string Header(string subject)
    {
        var text = Encoding.ASCII.GetString(Body(subject));
        return text[..(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)];
    }

    private const string LabelsFetch = "C: UID FETCH 101:105 (UID FLAGS INTERNALDATE RFC822.SIZE X-GM-LABELS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID DATE FROM SUBJECT)])";

    /// <summary>All Mail opened, searched and listed once with X-GM-LABELS (one FETCH for the five messages).</summary>
    private static string AllMailListing() => AllMailOpened + "\n" + LabelsFetch + "\n" + LabelsAnswer();

    private const string AllMailOpened = """
        C: EXAMINE "[Gmail]/All Mail" (CONDSTORE)
        S: * FLAGS (\Answered \Flagged \Draft \Deleted \Seen $NotPhishing $Phishing)
        S: * OK [PERMANENTFLAGS ()] Flags permitted.
        S: * OK [UIDVALIDITY 12] UIDs valid.
        S: * 5 EXISTS
        S: * 0 RECENT
        S: * OK [UIDNEXT 106] Predicted next UID.
        S: * OK [HIGHESTMODSEQ 900]
        S: {tag} OK [READ-ONLY] [Gmail]/All Mail selected. (Success)
        C: UID SEARCH RETURN (ALL) ALL
        S: * ESEARCH (TAG "{tag}") UID ALL 101:105
        S: {tag} OK SEARCH completed (Success)
        """;

    private static string LabelsAnswer()
    {
        var text = new StringBuilder();
        var sequence = 0;
        foreach (var (uid, labels, flags, subject) in AllMail)
        {
            var header = Header(subject);
            text.Append(CultureInfo.InvariantCulture, $"S: * {++sequence} FETCH (X-GM-LABELS {labels} UID {uid} FLAGS ({flags}) INTERNALDATE \"02-Feb-2024 08:0{sequence}:00 +0000\" RFC822.SIZE {Body(subject).Length} BODY[HEADER.FIELDS (MESSAGE-ID DATE FROM SUBJECT)] {{{header.Length}}}\n");
            foreach (var line in header.Split("\r\n")[..^1])
            {
                text.Append("S: ").Append(line).Append('\n');
            }

            text.Append("S: )\n");
        }

        return text.Append("S: {tag} OK Success\n").ToString();
    }

    private static MailboxContext Context(LabelCopyMode mode)
    {
        Environment.SetEnvironmentVariable("GMAIL_TRANSCRIPT_PW", "gmail-app-password");
        var context = TestPlans.Context(TestPlans.Endpoint(EndpointRole.Source, 993, authUser: "anna@gmail.test", authPassword: "env:GMAIL_TRANSCRIPT_PW", preset: "gmail"),
            "anna@gmail.test", "anna@contoso.test");
        return context with { Migration = context.Migration with { LabelCopies = mode } };
    }

    /// <summary>A Gmail source whose n-th connection replays the n-th transcript.</summary>
    private static async Task<(IMailSource Source, List<ImapTranscript> Connections)> OpenAsync(MailboxContext context, params string[] transcripts)
    {
        var connections = new List<ImapTranscript>();
        var session = new ImapSession(ImapSettings.From(context), new SpoolBudget(SpoolBudget.DefaultMaxInMemoryBytes, SpoolBudget.DefaultMaxInMemoryMessageBytes))
        {
            ConnectOverride = _ =>
            {
                var transcript = new ImapTranscript(transcripts[connections.Count]);
                connections.Add(transcript);
                return Task.FromResult<Stream>(transcript);
            },
        };
        await session.ConnectAsync(CancellationToken.None);
        return (ImapSourceFactory.Shape(new ImapSource(session), context), connections);
    }

    private static async Task<List<SourceMessage>> ListAsync(IMailSource source, SourceFolder folder)
    {
        var listed = new List<SourceMessage>();
        await foreach (var summary in source.ListMessagesAsync(folder, null, CancellationToken.None))
        {
            listed.Add(summary);
        }

        return listed;
    }

    [Fact]
    public async Task All_Mail_is_read_once_with_its_labels_and_every_label_folder_is_served_from_it()
    {
        var body = Body("inbox and work");
        var (source, connections) = await OpenAsync(Context(LabelCopyMode.Once), string.Join('\n', Login, Folders, AllMailListing()) + $$"""
            C: UID FETCH 101 (BODY.PEEK[])
            S: * 1 FETCH (UID 101 BODY[] {{{body.Length}}}
            {{string.Join('\n', Encoding.ASCII.GetString(body).Split("\r\n")[..^1].Select(line => "S: " + line))}}
            S: )
            S: {tag} OK Success
            {{Logout}}
            """);

        var folders = await source.ListFoldersAsync(CancellationToken.None);
        // Starred and Important are flags, not folders; All Mail is the archive folder; Spam and Trash stay as they are.
        Assert.Equal(
            ["INBOX:Inbox", "Work/Projects:None", "Work:None", "[Gmail]/All Mail:Archive", "[Gmail]/Drafts:Drafts", "[Gmail]/Sent Mail:Sent", "[Gmail]/Spam:Junk", "[Gmail]/Trash:Trash"],
            folders.Select(f => $"{f.Path}:{f.SpecialUse}").Order(StringComparer.Ordinal));
        var byPath = folders.ToDictionary(f => f.Path);

        var inbox = await ListAsync(source, byPath["INBOX"]);
        var work = await ListAsync(source, byPath["Work"]);
        var projects = await ListAsync(source, byPath["Work/Projects"]);
        var sent = await ListAsync(source, byPath["[Gmail]/Sent Mail"]);
        var archive = await ListAsync(source, byPath["[Gmail]/All Mail"]);

        // Source ids are All Mail's UIDs whatever the folder; labelCopies: once puts 101 in INBOX and names it in Work.
        Assert.Equal(["101", "105"], inbox.Select(m => m.SourceId));
        Assert.All(inbox, m => Assert.Null(m.PlacedIn));
        Assert.Equal("INBOX", Assert.Single(work).PlacedIn);
        var project = Assert.Single(projects);
        Assert.Equal(("104", MailFlags.Flagged), (project.SourceId, project.Flags & MailFlags.Flagged));
        Assert.Equal("103", Assert.Single(sent).SourceId);
        Assert.Equal("102", Assert.Single(archive).SourceId);

        var fetched = new List<byte[]>();
        await foreach (var content in source.FetchAsync(byPath["INBOX"], inbox.Take(1).ToList(), CancellationToken.None))
        {
            await using (content)
            {
                using var copy = new MemoryStream();
                await content.Content.CopyToAsync(copy);
                fetched.Add(copy.ToArray());
            }
        }

        Assert.Equal(Corpus.Sha(body), Corpus.Sha(Assert.Single(fetched)));
        await source.DisposeAsync();
        var connection = Assert.Single(connections);
        Assert.True(connection.Finished, "the transcript was not played to its end");
        // One listing for the whole mailbox: no label folder was opened, All Mail was asked for its labels once.
        Assert.Single(connection.Commands, c => c.StartsWith("EXAMINE", StringComparison.Ordinal));
        Assert.Single(connection.Commands, c => c.Contains("X-GM-LABELS", StringComparison.Ordinal));
    }

    /// <summary>Lists INBOX through the Gmail view: the first listing reads All Mail with its labels.</summary>
    private static async Task<List<SourceMessage>> ListInboxAsync(IMailSource source)
    {
        var folders = await source.ListFoldersAsync(CancellationToken.None);
        return await ListAsync(source, folders.Single(f => f.SpecialUse == SpecialUse.Inbox));
    }

    [Fact]
    public async Task Over_quota_is_throttling_waited_out_not_a_failure()
    {
        var (source, _) = await OpenAsync(Context(LabelCopyMode.Each), string.Join('\n', Login, Folders, AllMailOpened, LabelsFetch,
            "S: {tag} NO [OVERQUOTA] Account exceeded command or bandwidth limits. (Failure)"));

        var error = await Assert.ThrowsAsync<MigrationException>(() => ListInboxAsync(source));

        // The executor waits as long as RetryAfter says and tries the folder again, without using up its attempts.
        Assert.True(error.Transient);
        Assert.Equal(TimeSpan.FromMinutes(10), error.RetryAfter);
        Assert.Equal("MIG0604", error.Diagnostic.Code);
        Assert.Contains("Account exceeded command or bandwidth limits.", error.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bye_over_quota_then_a_refused_login_is_throttling()
    {
        // Gmail ends the session with BYE and, while the account is over its limits, refuses the next login the same way.
        var (source, connections) = await OpenAsync(Context(LabelCopyMode.Each),
            string.Join('\n', Login, Folders, AllMailOpened, LabelsFetch, "S: * BYE [OVERQUOTA] Account exceeded command or bandwidth limits."),
            """
            S: * OK Gimap ready for requests from 127.0.0.1 t1mb12346
            C: CAPABILITY
            S: * CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN AUTH=OAUTHBEARER
            S: {tag} OK Thats all she wrote! t1mb12346
            C: AUTHENTICATE PLAIN
            S: {tag} NO [ALERT] Account exceeded command or bandwidth limits. (Failure)
            """);

        var error = await Assert.ThrowsAsync<MigrationException>(() => ListInboxAsync(source));

        Assert.Equal(2, connections.Count);
        Assert.True(error.Transient);
        Assert.Equal(TimeSpan.FromMinutes(10), error.RetryAfter);
    }

    [Fact]
    public async Task Session_expired_logs_in_again_and_the_listing_carries_on()
    {
        var (source, connections) = await OpenAsync(Context(LabelCopyMode.Each),
            string.Join('\n', Login, Folders, AllMailOpened, LabelsFetch, "S: * BYE Session expired, please login again."),
            string.Join('\n', Login, AllMailOpened.Split("C: UID SEARCH")[0].TrimEnd(), LabelsFetch, LabelsAnswer()));

        var inbox = await ListInboxAsync(source);

        Assert.Equal(["101", "105"], inbox.Select(m => m.SourceId));
        Assert.Equal(2, connections.Count);
        Assert.All(connections, c => Assert.True(c.Finished));
    }

    [Fact]
    public async Task A_message_with_two_labels_crosses_the_network_once_with_labelCopies_each()
    {
        var body = Body("inbox and work");
        // One body FETCH in the whole conversation: the Work copy of 101 reads the bytes the INBOX copy fetched.
        var (source, connections) = await OpenAsync(Context(LabelCopyMode.Each), string.Join('\n', Login, Folders, AllMailListing()) + $$"""
            C: UID FETCH 101 (BODY.PEEK[])
            S: * 1 FETCH (UID 101 BODY[] {{{body.Length}}}
            {{string.Join('\n', Encoding.ASCII.GetString(body).Split("\r\n")[..^1].Select(line => "S: " + line))}}
            S: )
            S: {tag} OK Success
            {{Logout}}
            """);
        var folders = (await source.ListFoldersAsync(CancellationToken.None)).ToDictionary(f => f.Path);
        var inbox = await ListAsync(source, folders["INBOX"]);
        var work = await ListAsync(source, folders["Work"]);
        Assert.Equal("101", Assert.Single(work).SourceId);

        var copies = new List<byte[]>();
        foreach (var (folder, batch) in new[] { (folders["INBOX"], inbox.Take(1).ToList()), (folders["Work"], work) })
        {
            await foreach (var content in source.FetchAsync(folder, batch, CancellationToken.None))
            {
                await using (content)
                {
                    using var copy = new MemoryStream();
                    await content.Content.CopyToAsync(copy);
                    copies.Add(copy.ToArray());
                }
            }
        }

        await source.DisposeAsync();
        Assert.Equal(2, copies.Count);
        Assert.All(copies, bytes => Assert.Equal(Corpus.Sha(body), Corpus.Sha(bytes)));
        var connection = Assert.Single(connections);
        Assert.True(connection.Finished, "the transcript was not played to its end");
        Assert.Single(connection.Commands, c => c.Contains("BODY.PEEK[]", StringComparison.Ordinal));
    }
}

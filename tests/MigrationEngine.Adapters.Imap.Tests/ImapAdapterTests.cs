using System.Diagnostics;
using System.Text;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.State;
using MigrationEngine.Core.Model;
using MigrationEngine.TestSupport;
using Xunit.Abstractions;
using Seed = MigrationEngine.Adapters.Imap.Tests.RawImapClient.Seed;

namespace MigrationEngine.Adapters.Imap.Tests;

[Collection(DovecotCollection.Name)]
[Trait("Category", "Server")]
public sealed class ImapAdapterTests(DovecotFixture dovecot, ITestOutputHelper output)
{
    private static readonly ImapSourceFactory Sources = new();
    private static readonly ImapTargetFactory Targets = new();

    private RawImapClient Raw(TestUser user) => new(dovecot.PlainPort, user.Address, user.Password);

    [Fact]
    public async Task Lists_nested_non_ascii_and_special_use_folders()
    {
        var user = dovecot.NewUser("list");
        using (var raw = Raw(user))
        {
            raw.Create("Sent");
            raw.Create("Trash");
            raw.Create("Projects/2025/Q1");
            raw.Create("Été");
            raw.Append("Projects/2025/Q1", [new Seed(Corpus.Message("one", "one@x"))]);
        }

        await using var source = await Sources.OpenAsync(TestPlans.Source(dovecot, user), CancellationToken.None);
        var folders = await source.ListFoldersAsync(CancellationToken.None);
        var byPath = folders.ToDictionary(f => f.Path);

        Assert.Equal(SpecialUse.Inbox, byPath["INBOX"].SpecialUse);
        Assert.Equal(SpecialUse.Sent, byPath["Sent"].SpecialUse);
        Assert.Equal(SpecialUse.Trash, byPath["Trash"].SpecialUse);
        Assert.Contains("Été", byPath.Keys);
        Assert.Equal(1, byPath["Projects/2025/Q1"].MessageCount);
        Assert.True(byPath["Projects/2025/Q1"].UidValidity > 0);
        // "Projects" and "Projects/2025" exist only as parents (\Noselect): nothing to copy from them.
        Assert.DoesNotContain("Projects", byPath.Keys);
    }

    [Fact]
    public async Task Round_trip_is_byte_identical_with_flags_keywords_and_dates()
    {
        var from = dovecot.NewUser("rtsrc");
        var to = dovecot.NewUser("rtdst");
        var date = new DateTimeOffset(2021, 5, 4, 3, 2, 1, TimeSpan.FromHours(2));
        var seeds = new List<Seed>
        {
            new(Corpus.Message("plain", "a@x"), "\\Seen", date),
            new(Corpus.Message("Grüße 8-bit header", "b@x", "Body with 8-bit: é ü ß\r\n"), "\\Flagged \\Answered", date.AddDays(-300)),
            new(Encoding.UTF8.GetBytes("From: a@x\nSubject: bare LF\nMessage-ID: <lf@x>\n\nline1\nline2\n"), "", date),
            new(Corpus.Message("no message id", null), "$label1 Work", date),
            new(Corpus.Message("duplicate 1", "dup@x"), "\\Seen", date),
            new(Corpus.Message("duplicate 2", "dup@x"), "\\Seen", date),
            new(Corpus.Message("malformed", "bad@x", "--nope\r\nContent-Type: broken\r\n\r\nunterminated part\r\n",
                "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"missing\r\n"), "\\Draft", date),
        };
        using (var raw = Raw(from))
        {
            raw.Create("Archive/Old");
            raw.Create("Empty");
            raw.Append("INBOX", seeds);
            raw.Append("Archive/Old", [new Seed(Corpus.Message("archived", "old@x"), "\\Seen", date.AddYears(-5))]);
        }

        using var state = new TempDirectory("rt-state");
        var outcome = await EngineCopy.RunAsync(dovecot, from, to, state.Path);
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Mailboxes.SelectMany(m => m.Diagnostics).Concat(outcome.Diagnostics)));
        Assert.Equal(8, outcome.Copied);
        Assert.Equal(0, outcome.BadItems);

        using var verify = Raw(to);
        using var original = Raw(from);
        foreach (var folder in new[] { "INBOX", "Archive/Old", "Empty" })
        {
            var expected = original.FetchAll(folder).Select(m => (Corpus.Sha(m.Body), string.Join(' ', m.Flags), m.InternalDate)).OrderBy(x => x.Item1).ToList();
            var actual = verify.FetchAll(folder).Select(m => (Corpus.Sha(m.Body), string.Join(' ', m.Flags), m.InternalDate)).OrderBy(x => x.Item1).ToList();
            Assert.Equal(expected, actual);
        }

        // Dovecot serves stored bare-LF messages with CRLF; the copy carries exactly what the source served.
        var inbox = verify.FetchAll("INBOX");
        Assert.Contains(inbox, m => Encoding.UTF8.GetString(m.Body).Contains("line1\r\nline2", StringComparison.Ordinal));
        Assert.Contains(inbox, m => m.Flags.Contains("$label1") && m.Flags.Contains("Work"));
        Assert.Equal(2, inbox.Count(m => Encoding.UTF8.GetString(m.Body).Contains("<dup@x>", StringComparison.Ordinal)));

        // A second pass finds everything present and copies nothing.
        var again = await EngineCopy.RunAsync(dovecot, from, to, state.Path);
        Assert.True(again.Succeeded);
        Assert.Equal(0, again.Copied);
    }

    [Fact]
    public async Task Append_sends_exact_bytes_and_returns_uids()
    {
        var user = dovecot.NewUser("exact");
        var bytes = Corpus.Message("exact", "exact@x", "=?utf-8?q?not-decoded?=\r\n\tweird folding\r\nno final newline");
        await using var target = await Targets.OpenAsync(TestPlans.Target(dovecot, user), CancellationToken.None);
        var folder = await target.EnsureFolderAsync("Lists/Ünïcode∕slash", SpecialUse.None, CancellationToken.None);
        var summary = new SourceMessage { SourceId = "1", DedupKey = "id:exact@x", Flags = MailFlags.Flagged | MailFlags.Seen, Keywords = ["Custom"] };
        var results = await target.AppendAsync(folder, [new MessageContent(summary, new MemoryStream(bytes), bytes.Length)], CancellationToken.None);

        Assert.False(results[0].Rejected);
        Assert.NotNull(results[0].TargetId);
        using var raw = Raw(user);
        var stored = Assert.Single(raw.FetchAll(folder.NativeId));
        Assert.Equal(results[0].TargetId, stored.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(stored.Body));
        Assert.Equal(["Custom", "\\Flagged", "\\Seen"], stored.Flags);
        Assert.Equal(["id:exact@x"], await target.ListMessageKeysAsync(folder, CancellationToken.None));
    }

    [Fact]
    public async Task Ensure_folder_is_idempotent_reuses_case_variants_and_maps_special_use()
    {
        var user = dovecot.NewUser("ensure");
        using (var raw = Raw(user))
        {
            raw.Create("Clients/ACME");
        }

        await using var target = await Targets.OpenAsync(TestPlans.Target(dovecot, user), CancellationToken.None);
        var first = await target.EnsureFolderAsync("clients/acme/2024", SpecialUse.None, CancellationToken.None);
        var second = await target.EnsureFolderAsync("clients/acme/2024", SpecialUse.None, CancellationToken.None);
        var sent = await target.EnsureFolderAsync("Sent Messages", SpecialUse.Sent, CancellationToken.None);
        var inbox = await target.EnsureFolderAsync("Inbox", SpecialUse.Inbox, CancellationToken.None);

        Assert.Equal("Clients/ACME/2024", first.NativeId);
        Assert.Equal(first, second);
        Assert.Equal("Sent", sent.NativeId);
        Assert.Equal("INBOX", inbox.NativeId);
    }

    [Fact]
    public async Task Missing_parents_stay_hierarchy_names_not_extra_mail_folders()
    {
        var user = dovecot.NewUser("parents");
        await using var target = await Targets.OpenAsync(TestPlans.Target(dovecot, user), CancellationToken.None);
        var leaf = await target.EnsureFolderAsync("Projects/2025/Q1", SpecialUse.None, CancellationToken.None);
        var sibling = await target.EnsureFolderAsync("Projects/2025/Q2", SpecialUse.None, CancellationToken.None);

        Assert.Equal("Projects/2025/Q1", leaf.NativeId);
        Assert.Equal("Projects/2025/Q2", sibling.NativeId);
        using var raw = Raw(user);
        var listed = raw.List();
        // As mbsync leaves them: the parents are names in the hierarchy that hold no mail and cannot be selected.
        Assert.DoesNotContain("\\Noselect", listed["Projects/2025/Q1"], StringComparison.Ordinal);
        foreach (var parent in new[] { "Projects", "Projects/2025" })
        {
            Assert.True(!listed.TryGetValue(parent, out var attributes)
                || attributes.Contains("\\NonExistent", StringComparison.Ordinal) || attributes.Contains("\\Noselect", StringComparison.Ordinal),
                $"{parent} was created as a mail folder: ({attributes})");
        }

        Assert.Empty(raw.FetchAll("Projects/2025/Q1"));
    }

    [Fact]
    public async Task Delta_listing_starts_after_the_given_uid()
    {
        var user = dovecot.NewUser("delta");
        using (var raw = Raw(user))
        {
            raw.Append("INBOX", Enumerable.Range(1, 5).Select(i => new Seed(Corpus.Message($"m{i}", $"m{i}@x"))).ToList());
        }

        await using var source = await Sources.OpenAsync(TestPlans.Source(dovecot, user), CancellationToken.None);
        var inbox = (await source.ListFoldersAsync(CancellationToken.None)).Single(f => f.Path == "INBOX");
        var all = await ToListAsync(source.ListMessagesAsync(inbox, null, CancellationToken.None));
        var after = await ToListAsync(source.ListMessagesAsync(inbox, all[2].SourceId, CancellationToken.None));
        var none = await ToListAsync(source.ListMessagesAsync(inbox, all[^1].SourceId, CancellationToken.None));

        Assert.Equal(5, all.Count);
        Assert.Equal(all.Skip(3).Select(m => m.SourceId), after.Select(m => m.SourceId));
        Assert.Empty(none);
        Assert.Equal("id:m1@x", all[0].DedupKey);
        var cursor = Assert.IsType<FolderCursor>(inbox.Cursor);
        Assert.Equal(inbox.UidValidity, cursor.UidValidity);
        Assert.Equal(long.Parse(all[^1].SourceId, System.Globalization.CultureInfo.InvariantCulture) + 1, cursor.UidNext);
        Assert.NotNull(cursor.HighestModSeq);
    }

    [Fact]
    public async Task Keys_read_from_fetched_bytes_equal_those_of_the_servers_header_fields()
    {
        var user = dovecot.NewUser("keys");
        var large = new StringBuilder(9 * 1024 * 1024);
        while (large.Length < 9 * 1024 * 1024)
        {
            large.Append(new string('y', 998)).Append("\r\n");
        }

        string[] messages =
        [
            "From: A <a@x>\r\nSubject: plain\r\nDate: Mon, 3 Mar 2025 10:00:00 +0100\r\nMessage-ID: <plain@x>\r\n\r\nbody\r\n",
            "From: A <a@x>\r\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n =?UTF-8?Q?_und_mehr?=\r\nDate: Mon, 3 Mar 2025 10:00:00 +0100\r\n\r\nfolded, encoded, no id\r\n",
            "From: Jörg <j@x>\r\nSubject: Grüße 8-bit\r\nMessage-ID: <eight@x>\r\n\r\nbody\r\n",
            "From: A <a@x>\nSubject: bare LF\nMessage-ID: <lf@x>\n\nbody\n",
            "message-id: <lower@x>\r\nMESSAGE-ID: <second@x>\r\nsubject: lower case names\r\n\r\nbody\r\n",
            "Message-ID:\r\n <folded-id@x>\r\nSubject: id on a continuation line\r\n\r\nbody\r\n",
            "\r\nno header fields at all\r\n",
            "From: A <a@x>\r\nThis line has no colon\r\nSubject: after a broken line\r\nMessage-ID: <broken@x>\r\n\r\nbody\r\n",
            "From someone@x Mon Mar  3 10:00:00 2025\r\nFrom: A <a@x>\r\nSubject: mbox separator kept\r\n\r\nbody\r\n",
            "Subject : space before the colon\r\nFrom: A <a@x>\r\n\r\nbody\r\n",
            "From: A <a@x>\r\nSubject: headers only, no blank line\r\n",
            "From: A <a@x>\r\nSubject: large\r\nMessage-ID: <large@x>\r\n\r\n" + large,
        ];
        using (var raw = Raw(user))
        {
            raw.Append("INBOX", messages.Select(m => new Seed(Encoding.UTF8.GetBytes(m))).ToList());
        }

        await using var source = await Sources.OpenAsync(TestPlans.Source(dovecot, user), CancellationToken.None);
        var inbox = (await source.ListFoldersAsync(CancellationToken.None)).Single(f => f.Path == "INBOX");
        var byHeaderFetch = await ToListAsync(source.ListMessagesAsync(inbox, null, CancellationToken.None));
        var keyless = await ToListAsync(((IContentKeySource)source).ListMessagesWithoutKeysAsync(inbox, null, CancellationToken.None));
        Assert.All(keyless, summary => Assert.Equal(DedupKeys.FromContent, summary.DedupKey));

        var fromContent = new List<SourceMessage>();
        await foreach (var content in source.FetchAsync(inbox, keyless, CancellationToken.None))
        {
            await using (content)
            {
                fromContent.Add(content.Summary);
            }
        }

        Assert.Equal(messages.Length, fromContent.Count);
        Assert.Equal(byHeaderFetch.Select(s => (s.SourceId, s.DedupKey, s.MessageId)), fromContent.Select(s => (s.SourceId, s.DedupKey, s.MessageId)));
        Assert.Equal(byHeaderFetch.Select(s => (s.Size, s.Flags, s.InternalDate)), fromContent.Select(s => (s.Size, s.Flags, s.InternalDate)));
        Assert.Contains(fromContent, s => s.DedupKey == "id:lower@x");
        Assert.Contains(fromContent, s => s.DedupKey == "id:folded-id@x");
        Assert.Contains(fromContent, s => s.DedupKey == "id:large@x");
    }

    [Fact]
    public async Task Large_message_is_spooled_to_disk_and_copied_exactly()
    {
        var from = dovecot.NewUser("bigsrc");
        var to = dovecot.NewUser("bigdst");
        var line = new string('x', 998) + "\r\n";
        var body = new StringBuilder(31 * 1024 * 1024);
        while (body.Length < 30 * 1024 * 1024)
        {
            body.Append(line);
        }

        var bytes = Corpus.Message("30 MB", "big@x", body.ToString());
        body.Clear();
        using (var raw = Raw(from))
        {
            raw.Append("INBOX", [new Seed(bytes, "\\Seen")]);
        }

        await using var source = await Sources.OpenAsync(TestPlans.Source(dovecot, from), CancellationToken.None);
        await using var target = await Targets.OpenAsync(TestPlans.Target(dovecot, to), CancellationToken.None);
        var inbox = (await source.ListFoldersAsync(CancellationToken.None)).Single(f => f.Path == "INBOX");
        var summaries = await ToListAsync(source.ListMessagesAsync(inbox, null, CancellationToken.None));
        var targetInbox = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, CancellationToken.None);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        await foreach (var content in source.FetchAsync(inbox, summaries, CancellationToken.None))
        {
            await using (content)
            {
                Assert.True(((SpooledBody)content.Content).IsOnDisk, "a 30 MB body must be spooled to a temporary file");
                peak = Math.Max(peak, GC.GetTotalMemory(false) - before);
                var results = await target.AppendAsync(targetInbox, [content], CancellationToken.None);
                Assert.False(results[0].Rejected);
                peak = Math.Max(peak, GC.GetTotalMemory(false) - before);
            }
        }

        output.WriteLine($"30 MB message: managed heap growth during fetch+append {peak / 1024 / 1024} MB");
        Assert.True(peak < 20L * 1024 * 1024, $"heap grew by {peak} bytes");
        using var verify = Raw(to);
        Assert.Equal(Corpus.Sha(bytes), Corpus.Sha(Assert.Single(verify.FetchAll("INBOX")).Body));
    }

    [Fact]
    public async Task Copies_5000_messages_in_one_folder()
    {
        var from = dovecot.NewUser("manysrc");
        var to = dovecot.NewUser("manydst");
        using (var raw = Raw(from))
        {
            raw.Append("INBOX", Enumerable.Range(1, 5000).Select(i => new Seed(Corpus.Message($"message {i}", $"n{i}@x", $"Body {i}\r\n" + new string('y', 2000) + "\r\n"), i % 3 == 0 ? "\\Seen" : "")).ToList());
        }

        var watch = Stopwatch.StartNew();
        using var state = new TempDirectory("many-state");
        var outcome = await EngineCopy.RunAsync(dovecot, from, to, state.Path);
        watch.Stop();
        output.WriteLine($"5000 messages (~2 KB) copied in {watch.Elapsed.TotalSeconds:F2} s ({5000 / watch.Elapsed.TotalSeconds:F0} msg/s)");

        Assert.True(outcome.Succeeded);
        Assert.Equal(5000, outcome.Copied);
        using var verify = Raw(to);
        using var original = Raw(from);
        Assert.Equal(
            original.FetchAll("INBOX").Select(m => Corpus.Sha(m.Body)).Order(),
            verify.FetchAll("INBOX").Select(m => Corpus.Sha(m.Body)).Order());
    }

    [Fact]
    public async Task Wrong_password_names_mailbox_and_server_but_not_the_password()
    {
        var user = dovecot.NewUser("wrong");
        var wrong = "definitely-Wrong-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("IMAP_TEST_WRONG_PW", wrong);
        var context = TestPlans.Context(TestPlans.Endpoint(EndpointRole.Source, dovecot.PlainPort), user.Address, user.Address, null, "env:IMAP_TEST_WRONG_PW");

        var error = await Assert.ThrowsAsync<MigrationException>(() => Sources.OpenAsync(context, CancellationToken.None));

        Assert.Equal("MIG0601", error.Diagnostic.Code);
        Assert.False(error.Transient);
        Assert.Contains(user.Address, error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{dovecot.PlainPort}", error.Message, StringComparison.Ordinal);
        Assert.Equal(TestPlans.PlanFile, error.Diagnostic.File);
        Assert.True(error.Diagnostic.Line > 0);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.Diagnostic.ToMsBuildString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_port_is_a_transient_error_naming_host_and_port()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var user = dovecot.NewUser("down");
        var error = await Assert.ThrowsAsync<MigrationException>(() => Sources.OpenAsync(TestPlans.Source(dovecot, user, port), CancellationToken.None));

        Assert.Equal("MIG0602", error.Diagnostic.Code);
        Assert.True(error.Transient);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Master_user_login_opens_the_users_mailbox()
    {
        var user = dovecot.NewUser("master");
        using (var raw = Raw(user))
        {
            raw.Append("INBOX", [new Seed(Corpus.Message("for master", "master@x"))]);
        }

        Environment.SetEnvironmentVariable("IMAP_TEST_MASTER_PW", DovecotFixture.MasterPassword);
        var endpoint = TestPlans.Endpoint(EndpointRole.Source, dovecot.PlainPort, authUser: "{mailbox}*" + DovecotFixture.MasterUser, authPassword: "env:IMAP_TEST_MASTER_PW");
        await using var source = await Sources.OpenAsync(TestPlans.Context(endpoint, user.Address, user.Address), CancellationToken.None);
        var inbox = (await source.ListFoldersAsync(CancellationToken.None)).Single(f => f.Path == "INBOX");
        var messages = await ToListAsync(source.ListMessagesAsync(inbox, null, CancellationToken.None));

        Assert.Equal("id:master@x", Assert.Single(messages).DedupKey);
    }

    [Fact]
    public async Task Tls_with_ca_file_connects_and_without_it_reports_the_certificate()
    {
        var user = dovecot.NewUser("tls");
        var trusted = TestPlans.Context(TestPlans.Endpoint(EndpointRole.Source, dovecot.TlsPort, "implicit", dovecot.CaFile), user.Address, user.Address, null, user.SecretReference);
        await using (var source = await Sources.OpenAsync(trusted, CancellationToken.None))
        {
            Assert.Contains(await source.ListFoldersAsync(CancellationToken.None), f => f.Path == "INBOX");
        }

        var untrusted = TestPlans.Context(TestPlans.Endpoint(EndpointRole.Source, dovecot.TlsPort, "implicit"), user.Address, user.Address, null, user.SecretReference);
        var error = await Assert.ThrowsAsync<MigrationException>(() => Sources.OpenAsync(untrusted, CancellationToken.None));
        Assert.Equal("MIG0603", error.Diagnostic.Code);
        Assert.Contains("not trusted", error.Message, StringComparison.Ordinal);
        Assert.Contains("caFile", error.Diagnostic.Hint, StringComparison.Ordinal);

        var starttls = TestPlans.Context(TestPlans.Endpoint(EndpointRole.Source, dovecot.PlainPort, "starttls", dovecot.CaFile), user.Address, user.Address, null, user.SecretReference);
        await using (var source = await Sources.OpenAsync(starttls, CancellationToken.None))
        {
            Assert.NotEmpty(await source.ListFoldersAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Connection_dropped_mid_copy_loses_and_duplicates_nothing()
    {
        var from = dovecot.NewUser("dropsrc");
        var to = dovecot.NewUser("dropdst");
        using (var raw = Raw(from))
        {
            raw.Append("INBOX", Enumerable.Range(1, 300).Select(i => new Seed(Corpus.Message($"drop {i}", $"d{i}@x", new string('z', 3000) + "\r\n"))).ToList());
        }

        // Cut the target's connection once, after about a third of the bytes were sent to it.
        await using var proxy = new TcpDropProxy(dovecot.PlainPort, 300_000);
        using var state = new TempDirectory("drop-state");
        var outcome = await EngineCopy.RunAsync(dovecot, from, to, state.Path, targetPort: proxy.Port);

        // The executor reopened the pair, looked in the target for what the dropped batch may have left there, and went on.
        Assert.Equal(1, proxy.Drops);
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Mailboxes.SelectMany(m => m.Diagnostics).Concat(outcome.Diagnostics)));
        using var verify = Raw(to);
        var copied = verify.FetchAll("INBOX").Select(m => Corpus.Sha(m.Body)).Order().ToList();
        using var original = Raw(from);
        Assert.Equal(original.FetchAll("INBOX").Select(m => Corpus.Sha(m.Body)).Order(), copied);
    }

    [Fact]
    public async Task Source_reconnects_by_itself_when_its_connection_drops()
    {
        var user = dovecot.NewUser("srcdrop");
        using (var raw = Raw(user))
        {
            raw.Append("INBOX", Enumerable.Range(1, 50).Select(i => new Seed(Corpus.Message($"s {i}", $"s{i}@x"))).ToList());
        }

        // The source sends little; drop it once after login and the first commands.
        await using var proxy = new TcpDropProxy(dovecot.PlainPort, 250);
        await using var source = await Sources.OpenAsync(TestPlans.Source(dovecot, user, proxy.Port), CancellationToken.None);
        var inbox = (await source.ListFoldersAsync(CancellationToken.None)).Single(f => f.Path == "INBOX");
        var summaries = await ToListAsync(source.ListMessagesAsync(inbox, null, CancellationToken.None));
        var fetched = 0;
        await foreach (var content in source.FetchAsync(inbox, summaries, CancellationToken.None))
        {
            await using (content)
            {
                fetched++;
            }
        }

        Assert.Equal(1, proxy.Drops);
        Assert.Equal(50, summaries.Count);
        Assert.Equal(50, fetched);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}

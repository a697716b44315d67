using System.Diagnostics;
using System.Text;
using MigrationEngine.State.Postgres.Tests;
using Npgsql;
using Xunit.Abstractions;
using Seed = MigrationEngine.Adapters.Imap.Tests.RawImapClient.Seed;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>One <c>migrate apply</c> worker started as its own process (the built CLI beside the tests), its output collected.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public WorkerProcess(string folder, int leaseSeconds, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "migrate.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CI"] = "true";
        info.Environment["MIGRATE_LEASE_SECONDS"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, by this worker's own pid.</summary>
    public void Kill() => _process.Kill();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

/// <summary>A plan of many mailboxes on the fixture's Dovecot, applied by workers sharing a PostgreSQL state.</summary>
internal sealed class WorkerPlan
{
    private WorkerPlan(string folder, string planFile, string stateUrl, string database, IReadOnlyList<(TestUser Source, TestUser Target)> pairs)
    {
        Folder = folder;
        PlanFile = planFile;
        StateUrl = stateUrl;
        Database = database;
        Pairs = pairs;
    }

    public string Folder { get; }
    public string PlanFile { get; }
    public string StateUrl { get; }
    public string Database { get; }
    public IReadOnlyList<(TestUser Source, TestUser Target)> Pairs { get; }

    /// <summary>
    /// Seeds the mailboxes (on Dovecot directly) and writes the plan; its source endpoint connects to
    /// <paramref name="sourcePort"/> when given (a proxy in front of Dovecot), else to Dovecot.
    /// </summary>
    public static async Task<WorkerPlan> CreateAsync(DovecotFixture dovecot, PostgresCluster postgres, string name, int mailboxes, int messages, int bodyBytes,
        string sourceExtra, string migrationExtra, int? sourcePort = null)
    {
        var pairs = Enumerable.Range(0, mailboxes).Select(i => (Source: dovecot.NewUser($"{name}-src{i}"), Target: dovecot.NewUser($"{name}-dst{i}"))).ToList();
        var date = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var filler = new string('x', bodyBytes);
        await Task.WhenAll(pairs.Select((pair, index) => Task.Run(() =>
        {
            using var raw = new RawImapClient(dovecot.PlainPort, pair.Source.Address, pair.Source.Password);
            raw.Create("Work");
            raw.Append("INBOX", Enumerable.Range(0, messages / 2).Select(i => new Seed(Corpus.Message($"{name} {index}.{i}", $"{name}{index}.{i}@x", filler + "\r\n"), i % 2 == 0 ? "\\Seen" : "", date)).ToList());
            raw.Append("Work", Enumerable.Range(messages / 2, messages - messages / 2).Select(i => new Seed(Corpus.Message($"{name} {index}.{i}", $"{name}{index}.{i}@x", filler + "\r\n"), "\\Flagged", date)).ToList());
        })));

        var folder = Directory.CreateTempSubdirectory($"imap-{name}-").FullName;
        var plan = await PlanEndToEndTests.WriteMasterUserPlanAsync(folder, name, "sync", dovecot.PlainPort, pairs[0].Source.Address, pairs[0].Target.Address,
            sourceExtra: sourceExtra, migrationExtra: migrationExtra, sourcePort: sourcePort);
        var text = await File.ReadAllTextAsync(plan);
        var more = string.Concat(pairs.Skip(1).Select(p => $"        - source: {p.Source.Address}\n          target: {p.Target.Address}\n"));
        text = text.Replace("\n  migrations:", "\n" + more + "  migrations:", StringComparison.Ordinal)
            + "\n  reports:\n    - template: builtin:summary.md\n      output: out/summary.md\n";
        await File.WriteAllTextAsync(plan, text);
        var database = await postgres.CreateDatabaseAsync();
        return new WorkerPlan(folder, plan, postgres.Url(database), database, pairs);
    }

    /// <summary>
    /// Starts a worker. By default a dead worker's leases and slots are free again within seconds (on this host its death is
    /// seen at once anyway); but a live worker starved of CPU for two thirds of that (a heartbeat every 2 s, 6 s expiry: it
    /// happens under a loaded CI run) loses them too, so a test that kills no worker can ask for the default 60 s.
    /// </summary>
    public WorkerProcess StartWorker(int expected, int leaseSeconds = 6) =>
        new(Folder, leaseSeconds, "apply", Path.GetFileName(PlanFile), "--state", StateUrl, "--workers-expected",
            expected.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Every source message is in its target once, byte for byte, with its flags and date, in the same folder.</summary>
    public void AssertEveryMessageOnce(DovecotFixture dovecot, int messages)
    {
        foreach (var (source, target) in Pairs)
        {
            using var from = new RawImapClient(dovecot.PlainPort, source.Address, source.Password);
            using var to = new RawImapClient(dovecot.PlainPort, target.Address, target.Password);
            var total = 0;
            foreach (var folder in new[] { "INBOX", "Work" })
            {
                var expected = from.FetchAll(folder).Select(m => (Corpus.Sha(m.Body), string.Join(' ', m.Flags.Where(f => f != "\\Recent").Order()), m.InternalDate)).Order().ToList();
                var actual = to.FetchAll(folder).Select(m => (Corpus.Sha(m.Body), string.Join(' ', m.Flags.Where(f => f != "\\Recent").Order()), m.InternalDate)).Order().ToList();
                Assert.True(expected.SequenceEqual(actual), $"{target.Address} {folder}: {actual.Count} messages in the target, {expected.Count} in the source");
                total += actual.Count;
            }

            Assert.Equal(messages, total);
        }
    }

    /// <summary>
    /// Per mailbox, its ledger entries' run ids: those recorded as copied, or all of them (copied, and found already present
    /// after a worker died between an append and its record). A message recorded twice would show twice.
    /// </summary>
    public async Task<Dictionary<string, List<long>>> LedgerRunsAsync(PostgresCluster postgres, bool copiedOnly)
    {
        await using var connection = new NpgsqlConnection(postgres.AdminConnectionString(Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT mailbox, run_id FROM migration_engine.ledger" + (copiedOnly ? " WHERE outcome = 'copied'" : string.Empty), connection);
        await using var reader = await command.ExecuteReaderAsync();
        var runs = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            var mailbox = reader.GetString(0);
            if (!runs.TryGetValue(mailbox, out var list))
            {
                runs[mailbox] = list = [];
            }

            list.Add(reader.GetInt64(1));
        }

        return runs;
    }

    /// <summary>Each mailbox was held by one worker at a time: in the lease history, every holding ends before the next begins.</summary>
    public async Task<Dictionary<string, List<(long Token, int Pid, DateTimeOffset From, DateTimeOffset? To, string? How)>>> AssertOneHolderAtATimeAsync(PostgresCluster postgres,
        ITestOutputHelper output)
    {
        await using var connection = new NpgsqlConnection(postgres.AdminConnectionString(Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT mailbox, token, pid, acquired_at, ended_at, ended FROM migration_engine.lease_history ORDER BY mailbox, token", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var history = new Dictionary<string, List<(long Token, int Pid, DateTimeOffset From, DateTimeOffset? To, string? How)>>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            var mailbox = reader.GetString(0);
            if (!history.TryGetValue(mailbox, out var list))
            {
                history[mailbox] = list = [];
            }

            list.Add((reader.GetInt64(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        foreach (var (_, target) in Pairs)
        {
            var holdings = history[target.Address.ToLowerInvariant()];
            output.WriteLine($"{target.Address}: " + string.Join(", ", holdings.Select(h => $"token {h.Token} pid {h.Pid} {h.From:HH:mm:ss.fff}-{h.To:HH:mm:ss.fff} {h.How}")));
            Assert.All(holdings, h => Assert.NotNull(h.To));
            for (var i = 1; i < holdings.Count; i++)
            {
                Assert.True(holdings[i - 1].To <= holdings[i].From,
                    $"{target.Address}: token {holdings[i - 1].Token} (pid {holdings[i - 1].Pid}) held it until {holdings[i - 1].To:O}, token {holdings[i].Token} (pid {holdings[i].Pid}) from {holdings[i].From:O}");
            }
        }

        return history;
    }
}

/// <summary>Sessions as Dovecot's own log tells them: the imap-login "Login" lines of the given users.</summary>
internal static class DovecotSessions
{
    private static readonly System.Text.RegularExpressions.Regex Login = new(@"imap-login: (?:Info: )?Login: user=<(?<user>[^>]*)>");

    /// <summary>
    /// How many sessions of the given users the log shows from <paramref name="offset"/> on. Only a count: the log cannot
    /// tell how many were open at once, since each Dovecot process logs through a pipe of its own and the log process
    /// writes what it reads from them in whatever order it reads it (under load a session's "Login" line can come after its
    /// own "Logged out"), and a session's end is logged after the server closed the connection, not when.
    /// </summary>
    public static int Count(string logFile, long offset, IReadOnlySet<string> users)
    {
        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var sessions = 0;
        while (reader.ReadLine() is { } line)
        {
            if (Login.Match(line) is { Success: true } login && users.Contains(login.Groups["user"].Value))
            {
                sessions++;
            }
        }

        return sessions;
    }
}

using System.Diagnostics;
using System.Text;
using MigrationEngine.Adapters.Graph.Tests.Emulator;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>
/// Contacts and calendars under the conditions mail is tested under, with real CLI processes (ics-vcf files into the
/// Graph emulator, where a second POST would be a second contact): two applies of one plan and state at once, each
/// mailbox under its lease, create every item once; applies killed with SIGKILL in the middle of the contacts leave
/// items the next apply finds in the target by their stamp, so it creates the rest and duplicates nothing.
/// </summary>
[Trait("Category", "Server")]
public sealed class GraphPimProcessTests
{
    private const int ContactsPerMailbox = 120;
    private const int EventsPerMailbox = 30;
    private static readonly string[] Users = ["ada@contoso.com", "bob@contoso.com", "cy@contoso.com"];

    [Fact]
    public async Task Two_applies_at_once_create_every_contact_and_event_once()
    {
        await using var bed = await ProcessBed.StartAsync("pim-two");

        var runs = await Task.WhenAll(bed.RunAsync(), bed.RunAsync());

        Assert.True(runs.All(r => r.Exit == 0), string.Join("\n----\n", runs.Select(r => $"exit {r.Exit}: {r.Output}")));
        bed.AssertEveryItemOnce();
        var rerun = await bed.RunAsync();
        Assert.True(rerun.Exit == 0, rerun.Output);
        Assert.Contains($"contacts: 0 created, {ContactsPerMailbox * Users.Length} already present", rerun.Output, StringComparison.Ordinal);
        bed.AssertEveryItemOnce();
    }

    [Fact]
    public async Task Applies_killed_during_the_contacts_copy_duplicate_and_lose_nothing()
    {
        await using var bed = await ProcessBed.StartAsync("pim-kill");
        var random = new Random(19);
        var kills = 0;
        for (var attempt = 0; attempt < 20 && kills < 4; attempt++)
        {
            // Kill once a random number of further contacts arrived, so the kill lands in the middle of a mailbox's copy.
            var killAt = bed.ContactCount() + random.Next(5, 60);
            using var process = Process.Start(bed.StartInfo())!;
            var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            while (!process.HasExited && bed.ContactCount() < killAt)
                await Task.Delay(5);
            if (process.HasExited)
            {
                await output;
                break;
            }

            process.Kill(entireProcessTree: true); // SIGKILL on Linux: no handler runs, nothing is flushed
            await process.WaitForExitAsync();
            await output;
            kills++;
        }

        Assert.True(kills >= 2, $"only {kills} applies could be killed before the copy finished");
        var final = await bed.RunAsync();
        Assert.True(final.Exit == 0, final.Output);
        bed.AssertEveryItemOnce();
    }

    /// <summary>The emulator with the users, the ics-vcf source files and the plan, in a folder of its own.</summary>
    private sealed class ProcessBed : IAsyncDisposable
    {
        private readonly string _folder;
        private readonly Dictionary<string, HashSet<string>> _expectedKeys = [];

        private ProcessBed(string folder, GraphEmulator emulator)
        {
            _folder = folder;
            Emulator = emulator;
        }

        public GraphEmulator Emulator { get; }

        public static async Task<ProcessBed> StartAsync(string name)
        {
            var folder = Directory.CreateTempSubdirectory("graph-pim-").FullName;
            var bed = new ProcessBed(folder, await GraphEmulator.StartAsync(folder));
            await File.WriteAllTextAsync(Path.Combine(folder, "secret.txt"), GraphEmulator.ClientSecret + "\n");
            foreach (var user in Users)
            {
                bed.Emulator.AddUser(user);
                bed.WriteSource(user);
            }

            await File.WriteAllTextAsync(Path.Combine(folder, "plan.yaml"), bed.Plan(name));
            return bed;
        }

        public ProcessStartInfo StartInfo()
        {
            var info = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = _folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "migrate.dll"));
            info.ArgumentList.Add("apply");
            info.ArgumentList.Add("plan.yaml");
            info.Environment["CI"] = "true";
            return info;
        }

        public async Task<(int Exit, string Output)> RunAsync()
        {
            using var process = Process.Start(StartInfo())!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return (process.ExitCode, await stdout + await stderr);
        }

        public int ContactCount() => Users.Sum(user => Emulator.WithPim(user, store => store.Contacts.Count));

        /// <summary>Each mailbox holds each source contact and event once: as many items as keys, every key stamped once.</summary>
        public void AssertEveryItemOnce()
        {
            foreach (var user in Users)
            {
                var stamps = Emulator.WithPim(user, store =>
                    store.Contacts.Values.Select(c => c.ExtendedProperties.GetValueOrDefault(GraphExtendedProperties.ItemKey))
                        .Concat(store.Events.Values.Select(e => e.ExtendedProperties.GetValueOrDefault(GraphExtendedProperties.ItemKey)))
                        .Select(s => ItemStamp.Parse(s)?.Key ?? "(no stamp)").ToList());
                var (contacts, events) = Emulator.WithPim(user, store => (store.Contacts.Count, store.Events.Count));
                Assert.Equal((ContactsPerMailbox, EventsPerMailbox), (contacts, events));
                Assert.Equal(stamps.Count, stamps.Distinct().Count());
                Assert.Equal(_expectedKeys[user].Count(k => !k.StartsWith("sha256:", StringComparison.Ordinal)),
                    stamps.Count(s => _expectedKeys[user].Contains(s)));
            }

            Assert.Empty(Emulator.SentMessages);
        }

        /// <summary>Contacts (every tenth without a UID, keyed by its content) and events (every fifth a weekly series with an EXDATE).</summary>
        private void WriteSource(string user)
        {
            var keys = _expectedKeys[user] = [];
            var cards = new StringBuilder();
            for (var i = 0; i < ContactsPerMailbox; i++)
            {
                var uid = i % 10 == 9 ? "" : $"UID:{user}-c{i}\r\n";
                if (uid.Length > 0)
                    keys.Add($"{user}-c{i}");
                cards.Append($"BEGIN:VCARD\r\nVERSION:3.0\r\n{uid}FN:Person {i} of {user}\r\nN:{i};Person;;;\r\nEMAIL:p{i}@example.org\r\nTEL;TYPE=CELL:+49 170 {i:0000000}\r\nEND:VCARD\r\n");
            }

            var events = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n");
            for (var i = 0; i < EventsPerMailbox; i++)
            {
                keys.Add($"{user}-e{i}");
                var day = 1 + (i % 21);
                var series = i % 5 == 0 ? $"RRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE;TZID=Europe/Berlin:202403{day + 7:00}T090000\r\n" : "";
                events.Append($"BEGIN:VEVENT\r\nUID:{user}-e{i}\r\nDTSTART;TZID=Europe/Berlin:202403{day:00}T090000\r\nDTEND;TZID=Europe/Berlin:202403{day:00}T100000\r\n{series}SUMMARY:Event {i}\r\nEND:VEVENT\r\n");
            }

            events.Append("END:VCALENDAR\r\n");
            Directory.CreateDirectory(Path.Combine(_folder, "src", user, "contacts"));
            Directory.CreateDirectory(Path.Combine(_folder, "src", user, "calendar"));
            File.WriteAllText(Path.Combine(_folder, "src", user, "contacts", "book.vcf"), cards.ToString());
            File.WriteAllText(Path.Combine(_folder, "src", user, "calendar", "agenda.ics"), events.ToString());
        }

        private string Plan(string name) => $"""
            apiVersion: migration-engine/v1
            kind: MigrationPlan
            metadata:
              name: {name}
            spec:
              sources:
                files:
                  type: ics-vcf
                  path: src
              targets:
                exo:
                  type: graph
                  tenantId: {GraphEmulator.TenantId}
                  clientId: {GraphEmulator.ClientId}
                  clientSecret: file:secret.txt
                  endpoint: {Emulator.BaseUrl}
                  authorityHost: {Emulator.AuthorityHost}
                  caFile: {Emulator.CaFile}
              mailboxSets:
                users:
                  mailboxes:
            {string.Join("\n", Users.Select(u => $"        - source: {u}\n          target: {u}"))}
              migrations:
                - name: items
                  type: import
                  from: files
                  to: exo
                  items: [contacts, calendar]
                  mailboxSets: [users]
                  concurrency:
                    mailboxes: 1
            """;

        public async ValueTask DisposeAsync()
        {
            await Emulator.DisposeAsync();
            TempDirectory.Delete(_folder);
        }
    }
}

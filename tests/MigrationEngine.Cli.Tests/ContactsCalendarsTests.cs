using System.Text;
using Ical.Net;
using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.Core.Pim;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>
/// Contacts and calendars end to end through the CLI, on the quickstart's sample files: ics-vcf to ics-vcf and back keeps
/// every property; a re-run creates nothing, with or without state; a changed contact is updated, not duplicated; bad input is
/// a bad item with its reason and the mailbox goes on; a Takeout export's contacts and calendars arrive beside its mail.
/// </summary>
[Trait("Category", "Server")]
public sealed class ContactsCalendarsTests
{
    private const string User = "alice@example.com";

    private static string SamplePim => Path.Combine(RepoPaths.Root, "plans", "examples", "data", "pim", User);

    private static string Plan(string name, string source, string sourceType, string target, string targetType, string items, string user = User, string layout = "") => $$"""
        apiVersion: migration-engine/v1
        kind: MigrationPlan
        metadata:
          name: {{name}}
        spec:
          sources:
            files:
              type: {{sourceType}}
              path: {{source}}
        {{(layout.Length == 0 ? "" : "      layout: " + layout)}}
          targets:
            out:
              type: {{targetType}}
              path: {{target}}
          mailboxSets:
            users:
              mailboxes:
                - source: {{user}}
                  target: {{user}}
          migrations:
            - name: items
              type: import
              from: files
              to: out
              items: {{items}}
              mailboxSets: [users]
        """;

    [Fact]
    public async Task A_round_trip_keeps_every_property_and_reruns_with_or_without_state_create_nothing()
    {
        using var temp = new TempDirectory();
        CopyTree(SamplePim, temp.Combine("src", User));
        File.WriteAllText(temp.Combine("plan.yaml"), Plan("pim-e2e", "src", "ics-vcf", "out", "ics-vcf", "[contacts, calendar]"));
        File.WriteAllText(temp.Combine("back.yaml"), Plan("pim-back", "out", "ics-vcf", "back", "ics-vcf", "[contacts, calendar]"));

        var first = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("contacts: 4 created, 0 already present, 0 updated, 0 bad items; calendar: 3 created, 0 already present, 0 updated, 0 bad items", first.Out, StringComparison.Ordinal);
        var back = await MigrateCli.RunAsync(temp.Path, "apply", "back.yaml");
        Assert.True(back.ExitCode == 0, back.All);

        AssertSameContacts(Items(temp.Combine("src", User), "*.vcf"), Items(temp.Combine("back", User), "*.vcf"));
        AssertSameEvents(Items(temp.Combine("src", User), "*.ics"), Items(temp.Combine("back", User), "*.ics"));
        Assert.True(File.Exists(temp.Combine("back", User, "contacts", "Équipe", $"{User}-team-1.vcf")), "the address book keeps its name");
        Assert.Single(Directory.GetFiles(temp.Combine("back", User, "calendar", "Perso"), "*.ics"));

        var files = Files(temp.Combine("out"));
        var second = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("contacts: 0 created, 4 already present, 0 updated, 0 bad items", second.Out, StringComparison.Ordinal);
        Assert.Equal(files, Files(temp.Combine("out")));

        Directory.Delete(temp.Combine(".migrate"), recursive: true);
        var stateless = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        Assert.True(stateless.ExitCode == 0, stateless.All);
        Assert.Contains("contacts: 0 created, 4 already present, 0 updated, 0 bad items; calendar: 0 created, 3 already present", stateless.Out, StringComparison.Ordinal);
        Assert.Equal(files, Files(temp.Combine("out")));

        var status = await MigrateCli.RunAsync(temp.Path, "status", "plan.yaml");
        Assert.Contains("contacts: 4 in the target, 0 bad items; calendar: 3 in the target, 0 bad items", status.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_contact_is_updated_in_place_not_duplicated()
    {
        using var temp = new TempDirectory();
        CopyTree(SamplePim, temp.Combine("src", User));
        File.WriteAllText(temp.Combine("plan.yaml"), Plan("pim-update", "src", "ics-vcf", "out", "maildir", "[contacts]"));
        Assert.Equal(0, (await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml")).ExitCode);
        var before = Files(temp.Combine("out"));

        var book = temp.Combine("src", User, "contacts", "carnet.vcf");
        File.WriteAllText(book, File.ReadAllText(book).Replace("TITLE:Directrice financière", "TITLE:Directrice générale", StringComparison.Ordinal));
        var run = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("contacts: 0 created, 3 already present, 1 updated, 0 bad items", run.Out, StringComparison.Ordinal);
        Assert.Equal(before, Files(temp.Combine("out")));
        Assert.Contains("TITLE:Directrice générale", File.ReadAllText(temp.Combine("out", User, "contacts", $"{User}-contact-1.vcf")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_opens_the_contacts_and_calendar_adapters_and_writes_nothing()
    {
        using var temp = new TempDirectory();
        CopyTree(SamplePim, temp.Combine("src", User));
        File.WriteAllText(temp.Combine("plan.yaml"), Plan("pim-check", "src", "ics-vcf", "out", "ics-vcf", "[contacts, calendar]")
            .Replace($"        - source: {User}\n          target: {User}", $"        - source: {User}\n          target: {User}\n        - source: nobody@example.com\n          target: nobody@example.com", StringComparison.Ordinal));

        var result = await MigrateCli.RunAsync(temp.Path, "check", "plan.yaml", "--output", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        var rows = json.RootElement.GetProperty("mailboxes").EnumerateArray().ToList();
        // Before, an ics-vcf side had no adapter check could open: both were "not_checked".
        Assert.Equal(["ok", "mailbox_missing"], rows.Select(r => r.GetProperty("source_check").GetProperty("outcome").GetString()));
        Assert.Equal(["created_by_apply", "created_by_apply"], rows.Select(r => r.GetProperty("target_check").GetProperty("outcome").GetString()));
        Assert.False(Directory.Exists(temp.Combine("out")), "check created the target folder");
    }

    [Fact]
    public async Task Inventory_counts_the_items_of_each_address_book_and_calendar()
    {
        using var temp = new TempDirectory();
        CopyTree(SamplePim, temp.Combine("src", User));
        File.WriteAllText(temp.Combine("plan.yaml"), Plan("pim-inventory", "src", "ics-vcf", "out", "ics-vcf", "[contacts, calendar]"));

        var text = await MigrateCli.RunAsync(temp.Path, "inventory", "plan.yaml");
        var json = await MigrateCli.RunAsync(temp.Path, "inventory", "plan.yaml", "--output", "json");

        Assert.True(text.ExitCode == 0, text.All);
        Assert.Contains("Contacts and calendars: 2 address book(s) (4 contacts, 0 bad), 2 calendar(s) (3 calendar items, 0 bad).", text.Out, StringComparison.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(json.Out);
        var collections = document.RootElement.GetProperty("mailboxes")[0].GetProperty("collections").EnumerateArray()
            .Select(c => $"{c.GetProperty("kind").GetString()} '{c.GetProperty("path").GetString()}' {c.GetProperty("items").GetInt32()}").ToList();
        Assert.Equal(["contacts '' 3", "contacts 'Équipe' 1", "calendar '' 2", "calendar 'Perso' 1"], collections);
    }

    [Fact]
    public async Task Bad_input_is_a_bad_item_with_its_reason_and_the_mailbox_goes_on()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("src", User);
        CopyTree(SamplePim, root);
        File.WriteAllText(Path.Combine(root, "calendar", "mars.ics"),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:mars-1\r\nDTSTART;TZID=Mars/Olympus:20240101T100000\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        File.WriteAllBytes(Path.Combine(root, "contacts", "broken.vcf"),
            [.. Encoding.ASCII.GetBytes("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:broken-1\r\nFN:Fran"), 0xE7, 0x6F, .. Encoding.ASCII.GetBytes("is\r\nEND:VCARD\r\n")]);
        File.WriteAllText(Path.Combine(root, "contacts", "photo.vcf"),
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:big-photo\r\nFN:Big Photo\r\nPHOTO;ENCODING=b;TYPE=JPEG:" + new string('A', 10 * 1024 * 1024) + "\r\nEND:VCARD\r\n");
        File.WriteAllText(temp.Combine("plan.yaml"), Plan("pim-bad", "src", "ics-vcf", "out", "ics-vcf", "[contacts, calendar]"));

        var run = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("contacts: 4 created, 0 already present, 0 updated, 2 bad items; calendar: 3 created, 0 already present, 0 updated, 1 bad items", run.Out, StringComparison.Ordinal);
        Assert.Contains("Contacts and calendar items not copied (bad items): 3", run.Out, StringComparison.Ordinal);
        Assert.Contains("unknown time zone 'Mars/Olympus'", run.Out, StringComparison.Ordinal);
        Assert.Contains("broken encoding", run.Out, StringComparison.Ordinal);
        Assert.Contains("10.0 MB", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Files(temp.Combine("out")), f => f.Contains("mars", StringComparison.Ordinal) || f.Contains("big-photo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_takeout_exports_contacts_and_calendars_arrive_beside_its_mail_each_contact_once()
    {
        using var temp = new TempDirectory();
        const string erin = "erin@example.com";
        var takeout = Path.Combine(RepoPaths.Root, "plans", "examples", "data", "takeout");
        Directory.CreateDirectory(temp.Combine("src"));
        File.Copy(Path.Combine(takeout, erin + ".mbox"), temp.Combine("src", erin + ".mbox"));
        CopyTree(Path.Combine(takeout, erin), temp.Combine("src", erin));
        File.WriteAllText(temp.Combine("plan.yaml"), Plan("pim-takeout", "src", "mbox", "out", "maildir", "[mail, contacts, calendar]", erin, layout: "takeout"));

        var run = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("contacts: 3 created, 0 already present, 0 updated, 0 bad items; calendar: 3 created", run.Out, StringComparison.Ordinal);
        Assert.Equal(3, Directory.GetFiles(temp.Combine("out", erin, "contacts"), "*.vcf").Length);
        Assert.Equal(2, Directory.GetFiles(temp.Combine("out", erin, "calendar"), "*.ics").Length);
        Assert.Single(Directory.GetFiles(temp.Combine("out", erin, "calendar", "Holidays"), "*.ics"));
        Assert.NotEmpty(Directory.GetDirectories(temp.Combine("out", erin), ".*"));
    }

    [Fact]
    public async Task A_pst_s_contacts_and_appointments_arrive_beside_its_mail()
    {
        Assert.True(File.Exists("/usr/bin/readpst"), "readpst is missing: install the Debian package pst-utils");
        using var temp = new TempDirectory();
        const string tom = "tom@contoso.com";
        var samples = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data", "pst"));
        Directory.CreateDirectory(temp.Combine("pst"));
        File.Copy(Path.Combine(Directory.Exists(samples) ? samples : "/work/shared/data/pst", "java-libpst_dist-list.pst"), temp.Combine("pst", tom + ".pst"));
        File.WriteAllText(temp.Combine("plan.yaml"), Plan("pim-pst", "pst", "pst", "out", "maildir", "[mail, contacts, calendar]", tom).Replace("type: import", "type: pst", StringComparison.Ordinal));

        var first = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");
        var second = await MigrateCli.RunAsync(temp.Path, "apply", "plan.yaml");

        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("contacts: 1 created, 0 already present, 0 updated, 0 bad items; calendar: 1 created", first.Out, StringComparison.Ordinal);
        var contact = File.ReadAllText(Assert.Single(Directory.GetFiles(temp.Combine("out", tom, "contacts"), "*.vcf")));
        Assert.Contains("EMAIL:contact1@rjohnson.id.au", contact, StringComparison.Ordinal);
        var appointment = Calendar.Load(File.ReadAllText(Assert.Single(Directory.GetFiles(temp.Combine("out", tom, "calendar"), "*.ics"))))!;
        Assert.Equal("Test appointment", appointment.Events[0]!.Summary);
        Assert.NotNull(appointment.Events[0]!.RecurrenceRule);
        // readpst stamps DTSTAMP with the time of each conversion: the content hash leaves it out, so nothing is updated.
        Assert.Contains("contacts: 0 created, 1 already present, 0 updated, 0 bad items; calendar: 0 created, 1 already present, 0 updated", second.Out, StringComparison.Ordinal);
    }

    private static void AssertSameContacts(Dictionary<string, string> source, Dictionary<string, string> copied)
    {
        Assert.Equal(source.Keys.Order(StringComparer.Ordinal), copied.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, text) in source)
        {
            Assert.Equal(Lines(text), Lines(copied[key]));
        }

        var jeanne = copied[$"{User}-contact-1"];
        foreach (var property in new[] { "FN:Jeanne Moreau", "EMAIL;TYPE=INTERNET,WORK:", "TEL;TYPE=CELL:", "ADR;TYPE=WORK:", "BDAY:1980-04-12", "NOTE:", "PHOTO;ENCODING=b;TYPE=PNG:iVBOR" })
        {
            Assert.Contains(Lines(jeanne), line => line.StartsWith(property, StringComparison.Ordinal));
        }
    }

    private static void AssertSameEvents(Dictionary<string, string> source, Dictionary<string, string> copied)
    {
        Assert.Equal(source.Keys.Order(StringComparer.Ordinal), copied.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, text) in source)
        {
            var before = Calendar.Load(text)!.Events.OrderBy(e => e!.RecurrenceIdentifier?.StartTime.ToString(), StringComparer.Ordinal).ToList();
            var after = Calendar.Load(copied[key])!.Events.OrderBy(e => e!.RecurrenceIdentifier?.StartTime.ToString(), StringComparer.Ordinal).ToList();
            Assert.Equal(before.Count, after.Count);
            for (var i = 0; i < before.Count; i++)
            {
                var (b, a) = (before[i]!, after[i]!);
                Assert.Equal((b.DtStart?.ToString(), b.DtStart?.TzId, b.DtEnd?.ToString(), b.IsAllDay, b.Summary, b.Location, b.Description),
                    (a.DtStart?.ToString(), a.DtStart?.TzId, a.DtEnd?.ToString(), a.IsAllDay, a.Summary, a.Location, a.Description));
                Assert.Equal(b.RecurrenceRule?.ToString(), a.RecurrenceRule?.ToString());
                Assert.Equal(b.ExceptionDates.GetAllDates().Select(d => d.ToString()), a.ExceptionDates.GetAllDates().Select(d => d.ToString()));
                Assert.Equal(b.Categories, a.Categories);
                Assert.Equal(b.Alarms.Select(x => x.Trigger?.Duration?.ToString()), a.Alarms.Select(x => x.Trigger?.Duration?.ToString()));
                Assert.Equal(b.Attendees.Select(x => (x.Value?.ToString(), x.ParticipationStatus)), a.Attendees.Select(x => (x.Value?.ToString(), x.ParticipationStatus)));
                Assert.Equal(b.Organizer?.Value?.ToString(), a.Organizer?.Value?.ToString());
            }
        }

        var weekly = Calendar.Load(copied["alice-weekly"])!;
        Assert.Equal(2, weekly.Events.Count);
        Assert.Contains(weekly.Events, e => e!.RecurrenceIdentifier is not null);
        Assert.Contains(Calendar.Load(copied["alice-holiday"])!.Events, e => e!.IsAllDay);
        Assert.Equal("Europe/Paris", Assert.Single(weekly.TimeZones).TzId);
    }

    /// <summary>Every item under a mailbox folder (files of the pattern), by key.</summary>
    private static Dictionary<string, string> Items(string root, string pattern) => Directory.GetFiles(root, pattern, SearchOption.AllDirectories)
        .SelectMany(file => pattern == "*.vcf" ? ContactItems.Split(File.ReadAllText(file), file) : CalendarItems.Split(File.ReadAllText(file), file))
        .ToDictionary(item => item.Key, item => item.Text, StringComparer.Ordinal);

    private static List<string> Lines(string text) =>
        [.. ContentLines.Read(text).Select(l => l.Logical).Where(l => !l.StartsWith("DTSTAMP", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static List<string> Files(string root) =>
        [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

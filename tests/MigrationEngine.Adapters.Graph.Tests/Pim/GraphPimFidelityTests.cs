using System.Text;
using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>
/// Fidelity through Graph measured by reading back: every vCard and iCalendar sample of the repository is written through
/// the Graph target into the emulator, read back through the real SDK (<see cref="GraphTargetFactory.OpenPimReaderAsync"/>)
/// and compared field by field (<see cref="PimFields"/>). What is lost must be exactly the table in docs/graph.md
/// ("Fidelity measured by reading back"), and every lost field must be named in what the target reported as dropped, which
/// the run's report counts: nothing is lost silently.
/// </summary>
[Trait("Category", "Server")]
public sealed class GraphPimFidelityTests
{
    private const string Mailbox = "ann@contoso.example";
    private const string Begin = "<!-- fidelity:begin -->";
    private const string End = "<!-- fidelity:end -->";

    [Fact]
    public async Task EverySampleReadBackFromGraphLosesExactlyWhatTheDocsListAndTheReportCounts()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        var samples = FidelitySamples.All();
        var results = new List<(FidelitySample Sample, PimWriteResult Result, string Collection)>();
        await using (var target = await PimItems.OpenAsync(bed, Mailbox))
        {
            var index = 0;
            foreach (var sample in samples)
            {
                // One collection per item, so samples that share a UID (the three example mailboxes) do not meet.
                var collection = $"s{++index:00}";
                var targetCollection = await target.EnsureCollectionAsync(new PimCollection(sample.Item.Kind, collection), default);
                results.Add((sample, await target.WriteAsync(targetCollection, sample.Item, null, default), collection));
            }
        }

        var readBack = new Dictionary<(ItemKind, string), List<PimItem>>();
        await using (var reader = await bed.Factory.OpenPimReaderAsync(bed.Context(bed.Endpoint(), Mailbox), default))
        {
            foreach (var kind in new[] { ItemKind.Contacts, ItemKind.Calendar })
            {
                foreach (var collection in await reader.ListCollectionsAsync(kind, default))
                {
                    var items = new List<PimItem>();
                    await foreach (var item in reader.ReadItemsAsync(collection, default))
                        items.Add(item);
                    readBack[(kind, collection.Path)] = items;
                }
            }
        }

        var table = new StringBuilder("| Sample | Item | Fields | Kept | Lost |\n|---|---|---|---|---|\n");
        var silent = new List<string>();
        var totals = (Fields: 0, Kept: 0);
        foreach (var (sample, result, collection) in results)
        {
            var item = sample.Item;
            var label = sample.Label ?? (item.Key.StartsWith("sha256:", StringComparison.Ordinal) ? "(no UID)" : item.Key);
            if (result.Rejected)
            {
                table.Append($"| {sample.Sample} | {label} | – | – | refused: {Reason(result.RejectionReason!)} |\n");
                continue;
            }

            var copies = readBack.GetValueOrDefault((item.Kind, collection)) ?? [];
            Assert.True(copies.Count == 1, $"{sample.Sample} {label}: {copies.Count} items read back from {collection}; collections read: "
                + string.Join(", ", readBack.Select(r => $"{r.Key.Item1} '{r.Key.Item2}' {r.Value.Count}")));
            var copy = copies[0];
            var source = item.Kind == ItemKind.Contacts ? PimFields.Contact(item.Text) : PimFields.Event(item.Text);
            var back = item.Kind == ItemKind.Contacts ? PimFields.Contact(copy.Text) : PimFields.Event(copy.Text);
            var lost = Without(source, back);
            silent.AddRange(lost.Where(f => !result.Dropped.Any(d => d.StartsWith(f.Property, StringComparison.OrdinalIgnoreCase)))
                .Select(f => $"{sample.Sample} {label}: {f} (target reported: {string.Join("; ", result.Dropped)})"));
            totals = (totals.Fields + source.Count, totals.Kept + source.Count - lost.Count);
            var lostText = lost.Count == 0 ? "–" : string.Join(", ", lost.GroupBy(f => f.Name).Select(g => g.Count() > 1 ? $"{g.Key} ×{g.Count()}" : g.Key));
            table.Append($"| {sample.Sample} | {label} | {source.Count} | {source.Count - lost.Count} | {lostText} |\n");
        }

        table.Append($"| **Total** | {results.Count} items | {totals.Fields} | {totals.Kept} | {totals.Fields - totals.Kept} |\n");
        Assert.True(silent.Count == 0, "lost without being reported as dropped:\n" + string.Join("\n", silent));
        Assert.True(DocumentedTable() == table.ToString(), "docs/graph.md's fidelity table differs from what was measured:\n" + table);
        Assert.Empty(bed.Emulator.SentMessages);
    }

    /// <summary>The source's fields that the read-back does not have (as a multiset: two equal e-mail addresses count twice).</summary>
    private static List<PimField> Without(List<PimField> source, List<PimField> back)
    {
        var remaining = back.Select(f => (f.Name, f.Value)).ToList();
        var lost = new List<PimField>();
        foreach (var field in source)
        {
            if (!remaining.Remove((field.Name, field.Value)))
                lost.Add(field);
        }

        return lost;
    }

    private static string Reason(string reason)
    {
        var text = reason[(reason.IndexOf(": ", reason.IndexOf(": ", StringComparison.Ordinal) + 2, StringComparison.Ordinal) + 2)..];
        return text.Replace("|", "/", StringComparison.Ordinal);
    }

    private static string DocumentedTable()
    {
        var docs = File.ReadAllText(RepoPaths.Of("docs", "graph.md")).ReplaceLineEndings("\n");
        var begin = docs.IndexOf(Begin, StringComparison.Ordinal);
        var end = docs.IndexOf(End, StringComparison.Ordinal);
        return begin < 0 || end < begin ? "(no table in docs/graph.md)" : docs[(begin + Begin.Length)..end].Trim('\n') + "\n";
    }
}

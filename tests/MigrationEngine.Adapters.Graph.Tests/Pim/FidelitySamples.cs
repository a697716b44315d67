using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Pim;
using MigrationEngine.Core.Tests.Pim;
using DavSamples = MigrationEngine.Adapters.Dav.Tests.Samples;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>One item of a sample, cut as a source hands it over (Core's ContactItems and CalendarItems).</summary>
internal sealed record FidelitySample(string Sample, PimItem Item)
{
    /// <summary>How the docs' table names the item: its key, or a fixed name where the key is made per process.</summary>
    public string? Label { get; init; }
}

/// <summary>
/// Every vCard and iCalendar sample of the repository: the example data under plans/examples/data (ics-vcf and Takeout),
/// the vCard library's samples (RFC examples, Google, Apple, Outlook), the DAV adapter's and the Graph mapping tests' ones.
/// </summary>
internal static class FidelitySamples
{
    public static IReadOnlyList<FidelitySample> All()
    {
        var samples = new List<FidelitySample>();
        var data = RepoPaths.SampleData;
        foreach (var file in Directory.EnumerateFiles(data, "*.*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(data, file).Replace('\\', '/');
            if (file.EndsWith(".vcf", StringComparison.OrdinalIgnoreCase))
                Add(samples, name, ItemKind.Contacts, File.ReadAllText(file));
            else if (file.EndsWith(".ics", StringComparison.OrdinalIgnoreCase))
                Add(samples, name, ItemKind.Calendar, File.ReadAllText(file));
        }

        Add(samples, "VCardSamples.Rfc6350Author", ItemKind.Contacts, VCardSamples.Rfc6350Author);
        Add(samples, "VCardSamples.Rfc2426Examples", ItemKind.Contacts, VCardSamples.Rfc2426Examples);
        Add(samples, "VCardSamples.Google", ItemKind.Contacts, VCardSamples.Google);
        Add(samples, "VCardSamples.Apple", ItemKind.Contacts, VCardSamples.Apple);
        Add(samples, "VCardSamples.Outlook", ItemKind.Contacts, VCardSamples.Outlook);
        Add(samples, "DavSamples.Contact", ItemKind.Contacts, DavSamples.Contact("dav-1", "Dana Example", "dana@example.test"));
        Add(samples, "DavSamples.RecurringWithOverride", ItemKind.Calendar, DavSamples.RecurringWithOverride());
        Add(samples, "DavSamples.AllDay", ItemKind.Calendar, DavSamples.AllDay());
        Add(samples, "DavSamples.Meeting", ItemKind.Calendar, DavSamples.Meeting());
        Add(samples, "DavSamples.Task", ItemKind.Calendar, DavSamples.Task("task-1"));
        Add(samples, "PimSamples.AppleContact", ItemKind.Contacts, PimSamples.AppleContact);
        Add(samples, "PimSamples.WeeklyMeeting", ItemKind.Calendar, PimSamples.WeeklyMeeting);
        Add(samples, "PimSamples.AllDay", ItemKind.Calendar, PimSamples.AllDay);
        // Single's UID carries a string hash code, which .NET makes anew in every process.
        Add(samples, "PimSamples.Single", ItemKind.Calendar, PimSamples.Single(), "single-(hash)@example.org");
        return samples;
    }

    private static void Add(List<FidelitySample> samples, string name, ItemKind kind, string text, string? label = null)
    {
        var items = kind == ItemKind.Contacts ? ContactItems.Split(text, name) : CalendarItems.Split(text, name);
        samples.AddRange(items.Select(item => new FidelitySample(name, item) { Label = label }));
    }
}

using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Pim;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>
/// Event files of 3 MB or more go through an upload session (attachment-createuploadsession: for messages and events,
/// "between 3 MB and 150 MB"), smaller ones in one POST; both are read back byte for byte.
/// </summary>
[Trait("Category", "Server")]
public sealed class GraphPimAttachmentTests
{
    private const string Mailbox = "ann@contoso.example";

    [Fact]
    public async Task AFileOfThreeAndAHalfMegabytesArrivesThroughAnUploadSessionAndASmallOneInOnePost()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        var large = new byte[3 * 1024 * 1024 + 512 * 1024];
        new Random(19).NextBytes(large);
        var small = "agenda\n"u8.ToArray();
        var text = PimSamples.Calendar($"""
            BEGIN:VEVENT
            UID:files-1@example.org
            DTSTART;TZID=Europe/Berlin:20240301T100000
            DTEND;TZID=Europe/Berlin:20240301T110000
            SUMMARY:Review with slides
            ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=application/pdf;X-FILENAME=slides.pdf:{Convert.ToBase64String(large)}
            ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=text/plain;X-FILENAME=agenda.txt:{Convert.ToBase64String(small)}
            END:VEVENT

            """);
        var item = Assert.Single(CalendarItems.Split(text, "files.ics"));
        Assert.Null(item.Problem);

        await using var target = await PimItems.OpenAsync(bed, Mailbox);
        var calendar = await target.EnsureCollectionAsync(new PimCollection(ItemKind.Calendar, PimCollection.DefaultPath), default);
        var created = await target.WriteAsync(calendar, item, null, default);

        Assert.False(created.Rejected, created.RejectionReason);
        Assert.Empty(created.Dropped);
        var files = bed.Emulator.WithPim(Mailbox, store => store.Events.Values.Single().Attachments.ToList());
        var slides = Assert.Single(files, f => f.Name == "slides.pdf");
        Assert.True(slides.ViaUploadSession);
        Assert.Equal(large, slides.Content);
        Assert.Equal("application/pdf", slides.ContentType);
        Assert.False(Assert.Single(files, f => f.Name == "agenda.txt").ViaUploadSession);
        // 3,670,016 bytes in ranges of 10 x 320 KiB: two PUTs.
        Assert.Equal(2, bed.Emulator.ClientRequestLog.Count(r => r.StartsWith("PUT /upload/", StringComparison.Ordinal)));

        // A second pass over the same item finds both files by name and uploads nothing again.
        var again = await target.WriteAsync(calendar, item, created.TargetId, default);
        Assert.Equal(created.TargetId, again.TargetId);
        Assert.Equal(2, bed.Emulator.WithPim(Mailbox, store => store.Events.Values.Single().Attachments.Count));
        Assert.Equal(2, bed.Emulator.ClientRequestLog.Count(r => r.StartsWith("PUT /upload/", StringComparison.Ordinal)));

        await using var reader = await bed.Factory.OpenPimReaderAsync(bed.Context(bed.Endpoint(), Mailbox), default);
        var collection = (await reader.ListCollectionsAsync(ItemKind.Calendar, default)).Single(c => c.IsDefault);
        var read = new List<PimItem>();
        await foreach (var copy in reader.ReadItemsAsync(collection, default))
            read.Add(copy);
        var attachFields = (string t) => PimFields.Event(t).Where(f => f.Name == "ATTACH").Select(f => f.Value).Order().ToList();
        Assert.Equal(attachFields(item.Text), attachFields(Assert.Single(read).Text));
        Assert.Empty(bed.Emulator.SentMessages);
    }
}

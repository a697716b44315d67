using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph.Tests;

[Trait("Category", "Server")]
public sealed class GraphFolderTests
{
    [Fact]
    public async Task WellKnownAndNestedFoldersAreCreatedOnceAndFoundAgain()
    {
        await using var bed = await GraphTestBed.StartAsync();
        var user = bed.Emulator.AddUser("ann@contoso.example");
        var inboxId = user.Folders.Values.Single(f => f.WellKnownName == "inbox").Id;

        await using (var target = await bed.OpenAsync("ann@contoso.example"))
        {
            Assert.Equal(inboxId, (await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default)).NativeId);
            // Well-known folders are addressed by their well-known name, which Graph takes in place of the id: no lookup.
            Assert.Equal("sentitems", (await target.EnsureFolderAsync("[Gmail]/Sent Mail", SpecialUse.Sent, default)).NativeId);
            Assert.Equal("sentitems", (await target.EnsureFolderAsync("Sent", SpecialUse.None, default)).NativeId);
            Assert.DoesNotContain(bed.Emulator.RequestLog, l => l.Contains("/mailFolders/sentitems", StringComparison.Ordinal));

            var nested = await target.EnsureFolderAsync("Projects/2024/O'Brien \u2215 Partners", SpecialUse.None, default);
            var underInbox = await target.EnsureFolderAsync("INBOX/Receipts", SpecialUse.None, default);
            Assert.Equal(nested.NativeId, bed.Emulator.FindFolderByPath("ann@contoso.example", "Projects", "2024", "O'Brien / Partners")!.Id);
            Assert.Equal(inboxId, bed.Emulator.FindUser("ann@contoso.example")!.Folders[underInbox.NativeId].ParentId);
        }

        var foldersAfterFirstRun = bed.Emulator.FindUser("ann@contoso.example")!.Folders.Count;
        var createsBefore = bed.Emulator.RequestLog.Count(l => l.StartsWith("POST", StringComparison.Ordinal) && l.Contains("childFolders", StringComparison.Ordinal));

        // A second run (no cache) finds every level instead of creating it again.
        await using (var again = await bed.OpenAsync("ann@contoso.example"))
        {
            var nested = await again.EnsureFolderAsync("projects/2024/o'brien \u2215 partners", SpecialUse.None, default);
            Assert.Equal(bed.Emulator.FindFolderByPath("ann@contoso.example", "Projects", "2024", "O'Brien / Partners")!.Id, nested.NativeId);
        }

        Assert.Equal(foldersAfterFirstRun, bed.Emulator.FindUser("ann@contoso.example")!.Folders.Count);
        Assert.Equal(createsBefore, bed.Emulator.RequestLog.Count(l => l.StartsWith("POST", StringComparison.Ordinal) && l.Contains("childFolders", StringComparison.Ordinal)));
        Assert.Equal(4, createsBefore);

        // One listing per parent and run, none of a folder just created: the first run listed the root and the inbox, the
        // second run the root, Projects and 2024.
        Assert.Equal(5, bed.Emulator.RequestLog.Count(l => l.StartsWith("GET", StringComparison.Ordinal) && l.Contains("childFolders", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FolderCreatedConcurrentlyByAnotherWriterIsFoundAfterConflict()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser("bea@contoso.example");
        await using var first = await bed.OpenAsync("bea@contoso.example");
        await using var second = await bed.OpenAsync("bea@contoso.example");

        var results = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second).EnsureFolderAsync("Shared/Reports", SpecialUse.None, default)));

        Assert.Single(results.Select(r => r.NativeId).Distinct());
        Assert.Single(bed.Emulator.FindUser("bea@contoso.example")!.Folders.Values, f => f.DisplayName == "Reports");
    }
}

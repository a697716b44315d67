using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Tests.Execution;

/// <summary>
/// The board hands out only folders whose target folder exists (TargetFolderEnsurer creates them while the pairs copy), and
/// a pair with nothing ready waits for one instead of leaving; the creation order puts parents first and large folders early.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RangeBoardReadinessTests
{
    [Fact]
    public async Task A_folder_is_taken_only_once_ready_and_a_pair_waits_for_it()
    {
        var inbox = Assignment("INBOX", 500);
        var archive = Assignment("Archive", 900);
        var ready = new HashSet<string> { "INBOX" };
        using var board = new RangeBoard(2, [archive, inbox], a => ready.Contains(a.TargetPath));

        // Archive is first in the queue but not ready: INBOX is taken.
        Assert.True(board.TryTakeFolder(out var first));
        Assert.Same(inbox, first);
        Assert.False(board.TryTakeFolder(out _));

        // Nothing ready, a folder still waiting: the pair waits (not null: it must not leave).
        var change = board.NextChange();
        Assert.NotNull(change);
        Assert.False(change.IsCompleted);

        ready.Add("Archive");
        board.FolderReady();
        await change.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(board.TryTakeFolder(out var second));
        Assert.Same(archive, second);

        board.FolderFinished();
        board.FolderFinished();
        Assert.Null(board.NextChange());
    }

    [Fact]
    public void A_ready_folder_found_after_the_last_signal_is_seen_by_the_next_wait()
    {
        var ready = false;
        using var board = new RangeBoard(1, [Assignment("Sent", 3)], _ => ready);
        Assert.False(board.TryTakeFolder(out _));
        // Became ready between the failed take and the wait, its signal already given: the wait sees it at once.
        ready = true;
        Assert.True(board.NextChange()!.IsCompleted);
    }

    [Fact]
    public void Folders_are_created_parents_first_and_within_a_depth_the_largest_first()
    {
        var order = TargetFolderEnsurer.CreationOrder(
        [
            Assignment("Projects/A", 10),
            Assignment("Drafts", 2),
            Assignment("Projects", 1),
            Assignment("Archive/2024", 400),
            Assignment("Sent", 200),
            Assignment("INBOX", 600),
        ]);

        Assert.Equal(["INBOX", "Sent", "Drafts", "Projects", "Archive/2024", "Projects/A"], order.Select(a => a.TargetPath));
    }

    private static FolderAssignment Assignment(string path, int messages) =>
        new(new SourceFolder(path) { MessageCount = messages }, path, SpecialUse.None);
}

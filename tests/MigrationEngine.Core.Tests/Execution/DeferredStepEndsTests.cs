using MigrationEngine.Core.Execution;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Tests.Execution;

/// <summary>
/// A mailbox's deferred step records go into its next step write, before the records of that write, once; a deferred
/// record of a step that is deferred again, or that the write records again, is dropped (the newer record is the step's state).
/// </summary>
[Trait("Category", "Unit")]
public sealed class DeferredStepEndsTests
{
    [Fact]
    public void Nothing_deferred_gives_the_write_as_it_is()
    {
        var deferred = new DeferredStepEnds();
        IReadOnlyList<StepRecord> write = [Record("verify/m/a", StepStatus.Succeeded)];

        Assert.Same(write, deferred.TakeWith(write));
    }

    [Fact]
    public void Deferred_ends_go_first_and_only_into_the_next_write()
    {
        var deferred = new DeferredStepEnds();
        deferred.Add(Record("ensure-folders/m/a", StepStatus.Succeeded));
        deferred.Add(Record("copy/m/a/INBOX", StepStatus.Succeeded));

        var first = deferred.TakeWith([Record("copy/m/a", StepStatus.Succeeded), Record("verify/m/a", StepStatus.Running)]);
        var second = deferred.TakeWith([Record("verify/m/a", StepStatus.Succeeded)]);

        Assert.Equal(["ensure-folders/m/a", "copy/m/a/INBOX", "copy/m/a", "verify/m/a"], first.Select(r => r.StepId));
        Assert.Equal(["verify/m/a"], second.Select(r => r.StepId));
    }

    [Fact]
    public void A_deferred_end_of_a_step_the_write_records_again_is_dropped()
    {
        var deferred = new DeferredStepEnds();
        deferred.Add(Record("copy/m/a/INBOX", StepStatus.Succeeded));
        deferred.Add(Record("ensure-folders/m/a", StepStatus.Succeeded));

        // The folder's second pass starts: its running record is what the step is now.
        var write = deferred.TakeWith([Record("copy/m/a/INBOX", StepStatus.Running)]);

        Assert.Equal([("ensure-folders/m/a", StepStatus.Succeeded), ("copy/m/a/INBOX", StepStatus.Running)], write.Select(r => (r.StepId, r.Status)));
    }

    [Fact]
    public void A_deferred_start_is_replaced_by_the_same_steps_deferred_end_and_the_order_follows_the_last()
    {
        var deferred = new DeferredStepEnds();
        deferred.Add(Record("preflight-source/m/a", StepStatus.Running));
        deferred.Add(Record("preflight-source/m/a", StepStatus.Succeeded));
        deferred.Add(Record("preflight-target/m/a", StepStatus.Running));

        var write = deferred.TakeWith([Record("preflight-target/m/a", StepStatus.Succeeded), Record("copy/m/a", StepStatus.Running)]);

        Assert.Equal([("preflight-source/m/a", StepStatus.Succeeded), ("preflight-target/m/a", StepStatus.Succeeded), ("copy/m/a", StepStatus.Running)],
            write.Select(r => (r.StepId, r.Status)));
    }

    private static StepRecord Record(string id, StepStatus status) =>
        new() { StepId = id, Kind = id.Split('/')[0], InputHash = "h", Status = status };
}

using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Planning;
using MigrationEngine.Core.State;
using MigrationEngine.Core.Tests.Diffing;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Planning;

/// <summary>
/// "Is this step done": the one rule plan, apply, status and the reports ask (<see cref="StepDecisions"/>), and what the
/// planner shows for each answer, without a state store.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StepDecisionsTests : IDisposable
{
    private static readonly Step Copy = new()
    {
        Id = "copy/mail/ann@fabrikam.test", Kind = StepKind.CopyFolders, Migration = "mail", Mailbox = "ann@fabrikam.test", InputHash = "h1", Description = "copy",
    };

    private readonly DiffPlans _plans = new();

    public static TheoryData<StepStatus, string, string?, StepProgress> Records => new()
    {
        { StepStatus.Succeeded, "h1", null, StepProgress.Done },
        { StepStatus.Succeeded, "h0", null, StepProgress.InputsChanged },
        { StepStatus.Failed, "h1", StepDecisions.InterruptedError, StepProgress.Interrupted },
        { StepStatus.Failed, "h1", "MIG0601: connection refused", StepProgress.Failed },
        { StepStatus.Running, "h1", null, StepProgress.Unfinished },
        // Changed inputs win over the outcome: a failed run of other inputs is re-run for the new ones.
        { StepStatus.Failed, "h0", "MIG0601: connection refused", StepProgress.InputsChanged },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void A_record_decides_the_step_by_its_status_and_its_inputs(StepStatus status, string inputHash, string? error, StepProgress expected)
    {
        var record = new StepRecord { StepId = Copy.Id, Kind = "copy", InputHash = inputHash, Status = status, Error = error };

        Assert.Equal(expected, StepDecisions.Of(Copy, record));
        Assert.Equal(expected == StepProgress.Done, StepDecisions.IsDone(Copy, record));
    }

    [Fact]
    public void A_step_without_a_record_never_ran()
    {
        Assert.Equal(StepProgress.NotRun, StepDecisions.Of(Copy, null));
        Assert.False(StepDecisions.IsDone(Copy, new Dictionary<string, StepRecord>()));
    }

    [Fact]
    public async Task Without_state_every_step_is_created_and_copy_steps_are_known_only_at_run_time()
    {
        var plan = _plans.Load("fresh", PlanYaml.ImapToMaildir());
        var graph = PlanCompiler.Compile(plan);

        var result = await Planner.PlanAsync(plan, graph, state: null, CancellationToken.None);

        Assert.Equal(graph.Steps.Count, result.Steps.Count);
        Assert.All(result.Steps, p => Assert.Equal(p.Step.Kind == StepKind.CopyFolders ? PlannedAction.CannotEvaluate : PlannedAction.Create, p.Action));
        Assert.Equal(StateHash.Empty, result.StateHash);
    }

    public void Dispose() => _plans.Dispose();
}

using MigrationEngine.Core.State;

namespace MigrationEngine.State.Postgres.Tests;

/// <summary>Several step records saved in one write: a step's end and the next step's start (RunContext.SaveStepThenStartAsync).</summary>
public abstract partial class StateStoreContract
{
    [Fact]
    public async Task Steps_saved_together_read_back_as_saved_one_by_one_and_replace_earlier_records()
    {
        await using var store = await OpenAsync();
        await store.SaveStepAsync("plan", Step("preflight-source/mail/ann") with { Status = StepStatus.Running, FinishedAt = null }, None);
        var finished = Step("preflight-source/mail/ann");
        var started = Step("preflight-target/mail/ann") with { Status = StepStatus.Running, FinishedAt = null, ResultJson = null };

        await store.SaveStepsAsync("plan", [finished, started], None);

        var steps = await store.GetStepsAsync("plan", None);
        Assert.Equal(2, steps.Count);
        Assert.Equal(finished, steps[finished.StepId]);
        Assert.Equal(started, steps[started.StepId]);
    }

    [Fact]
    public async Task Steps_saved_together_are_saved_all_or_none()
    {
        await using var store = await OpenAsync();
        var before = Step("ensure-folders/mail/ann") with { Status = StepStatus.Running, FinishedAt = null, ResultJson = null };
        await store.SaveStepAsync("plan", before, None);
        // The second record breaks a NOT NULL column: the first, saved in the same write, must not be kept either.
        var broken = Step("copy/mail/ann") with { Kind = null! };

        await Assert.ThrowsAnyAsync<Exception>(() => store.SaveStepsAsync("plan", [Step("ensure-folders/mail/ann"), broken], None));

        Assert.Equal(before, Assert.Single(await store.GetStepsAsync("plan", None)).Value);
        // The store is usable afterwards (no transaction left open).
        await store.SaveStepsAsync("plan", [Step("ensure-folders/mail/ann"), Step("copy/mail/ann")], None);
        Assert.Equal(2, (await store.GetStepsAsync("plan", None)).Count);
    }
}

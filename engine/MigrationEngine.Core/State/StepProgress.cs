
namespace MigrationEngine.Core.State;

/// <summary>Where a step of the graph stands against its record in the state.</summary>
public enum StepProgress
{
    /// <summary>No record: the step never ran.</summary>
    NotRun,

    /// <summary>Succeeded with the inputs it has now.</summary>
    Done,

    /// <summary>It ran, but the plan's inputs for it changed since.</summary>
    InputsChanged,

    /// <summary>It failed last time.</summary>
    Failed,

    /// <summary>A graceful stop ended it; apply resumes it.</summary>
    Interrupted,

    /// <summary>It started and never finished (the process was killed).</summary>
    Unfinished,
}

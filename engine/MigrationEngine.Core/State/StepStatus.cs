namespace MigrationEngine.Core.State;

public enum StepStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
}

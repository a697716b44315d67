
namespace MigrationEngine.Core.Planning;

public enum PlannedAction
{
    Create,
    Rerun,
    Unchanged,
    CannotEvaluate,
}

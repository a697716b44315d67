
namespace MigrationEngine.Core.Planning;

/// <summary>
/// An Exchange-native migration read from the service (read-only): per step what apply would do, per user the status the
/// service reports. <see cref="Refreshed"/> is false (with the reason in <see cref="Note"/>) when the module or the
/// credentials are not there; the steps then keep the decision state alone gives.
/// </summary>
public sealed record NativeRefresh(string Migration, bool Refreshed, string? Note, IReadOnlyList<NativeStepRefresh> Steps, IReadOnlyDictionary<string, string> UserStatuses)
{
    public static NativeRefresh NotRefreshed(string migration, string note) =>
        new(migration, false, note, [], new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
}

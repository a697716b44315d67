using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>
/// The decisions apply's step runner and plan's refresh both take from what the service shows (whether a step has work,
/// what a removed batch means, which settings differ), in one place so that plan says what apply then does.
/// </summary>
internal static class ServiceDecisions
{
    /// <summary>Settings the plan states that an existing endpoint or batch can take and does not have (others' tuning is left alone).</summary>
    public static List<PsSetting> Changed(IEnumerable<PsSetting> settings, PSObject existing) =>
        settings.Where(s => s.Settable && !Comparable.Same(s.Expected, existing.Properties[s.Property!]?.Value)).ToList();

    /// <summary>A setting an existing batch cannot change and holds otherwise (apply refuses it, MIG1105); null when none.</summary>
    public static (PsSetting Setting, string Actual)? Immutable(BatchSpec spec, PSObject existing)
    {
        foreach (var setting in spec.Settings.Where(s => !s.Settable && s.Expected is not null))
        {
            var actual = existing.Properties[setting.Property!]?.Value;
            if (!Comparable.Same(setting.Expected, actual))
            {
                return (setting, Comparable.Of(actual));
            }
        }

        return null;
    }

    /// <summary>Whether an earlier apply recorded this batch (its ensure step succeeded), and whether it recorded the batch completed.</summary>
    public static (bool Existed, bool Completed) Recorded(IReadOnlyDictionary<string, StepRecord> records, MigrationDefinition migration, BatchSpec spec)
    {
        var existed = records.TryGetValue($"ensure-batch/{migration.Name}{spec.StepSuffix}", out var ensure) && ensure.Status == StepStatus.Succeeded;
        var completed = records.TryGetValue($"complete-batch/{migration.Name}{spec.StepSuffix}", out var complete)
            && complete.Status == StepStatus.Succeeded && complete.ResultJson is { } json && Flag(json, "completed");
        return (existed, completed);
    }

    /// <summary>
    /// What a batch that state recorded and the service no longer has becomes: created again before completion, reported completed after,
    /// unless exchange.whenRemoved says otherwise ("All batches with Completed status will be removed after 60 days",
    /// https://learn.microsoft.com/exchange/mailbox-migration/manage-migration-batches).
    /// </summary>
    public static RemovedBatchAction WhenRemoved(MigrationDefinition migration, bool completed) =>
        migration.Exchange.WhenRemoved ?? (completed ? RemovedBatchAction.ReportCompleted : RemovedBatchAction.Recreate);

    /// <summary>
    /// Whether the start step has work: a batch created now, or one that is Created, Stopped or Failed (Start-MigrationBatch starts, resumes
    /// or retries it), or users that failed or stopped (Start-MigrationUser), or a step state does not record as done.
    /// </summary>
    public static bool StartHasWork(bool done, bool createdNow, BatchState state, int usersToRetry) =>
        !done || createdNow || usersToRetry > 0 || state is BatchState.Created or BatchState.Stopped or BatchState.Failed;

    public static bool Flag(string json, string name)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject result && result[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

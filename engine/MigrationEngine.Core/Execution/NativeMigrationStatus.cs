using System.Text.Json;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.State;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// Reads the users an Exchange-native migration's batch steps recorded (the <c>users</c> array of start-batch and complete-batch results:
/// identity, status, data_consistency_score, items_skipped, skipped_by_kind, error), so <c>status</c> shows each mailbox of a batch.
/// </summary>
public static class NativeMigrationStatus
{
    public static IReadOnlyDictionary<string, NativeUserStatus> Users(ExecutionGraph graph, IReadOnlyDictionary<string, StepRecord> steps, string migration)
    {
        var users = new Dictionary<string, NativeUserStatus>(StringComparer.OrdinalIgnoreCase);
        // Graph order: a batch's complete step comes after its start step, so the later poll wins.
        foreach (var step in graph.Steps.Where(s => s.Migration == migration && s.Kind is StepKind.StartBatch or StepKind.CompleteBatch))
        {
            if (steps.GetValueOrDefault(step.Id)?.ResultJson is not { } json)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(json);
                if (!document.RootElement.TryGetProperty("users", out var list) || list.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var user in list.EnumerateArray())
                {
                    var kinds = user.TryGetProperty("skipped_by_kind", out var byKind) && byKind.ValueKind == JsonValueKind.Object
                        ? byKind.EnumerateObject().Where(k => k.Value.ValueKind == JsonValueKind.Number).ToDictionary(k => k.Name, k => k.Value.GetInt32(), StringComparer.Ordinal)
                        : new Dictionary<string, int>();
                    users[Text(user, "identity") ?? string.Empty] = new NativeUserStatus(
                        Text(user, "status") ?? "unknown",
                        Text(user, "data_consistency_score"),
                        user.TryGetProperty("items_skipped", out var skipped) && skipped.ValueKind == JsonValueKind.Number ? skipped.GetInt64() : 0,
                        kinds,
                        Text(user, "error"));
                }
            }
            catch (JsonException)
            {
                // A result written by another version: the mailbox shows as without detail.
            }
        }

        return users;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

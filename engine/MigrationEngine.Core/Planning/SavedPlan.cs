using System.Text.Json;
using System.Text.Json.Serialization;

namespace MigrationEngine.Core.Planning;

/// <summary>
/// A reviewed plan saved by <c>plan --out</c>: apply runs it only while the plan files and the state are exactly
/// as they were when it was reviewed (Terraform's saved plan, also for a plan made from empty state).
/// </summary>
public sealed record SavedPlan
{
    public const string KindName = "MigrationSavedPlan";

    [JsonPropertyName("format_version")]
    public string FormatVersion { get; init; } = PlanRenderer.FormatVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; init; } = KindName;

    [JsonPropertyName("plan_name")]
    public required string PlanName { get; init; }

    /// <summary>The plan file, relative to the saved plan's folder when possible.</summary>
    [JsonPropertyName("plan_file")]
    public required string PlanFile { get; init; }

    [JsonPropertyName("plan_hash")]
    public required string PlanHash { get; init; }

    [JsonPropertyName("state_hash")]
    public required string StateHash { get; init; }

    /// <summary>
    /// The state file given with --state when the plan was made, relative to the saved plan's folder, or null for the
    /// default (beside the plan, or $MIGRATE_STATE: server stores are never written here, their URLs may hold passwords).
    /// </summary>
    [JsonPropertyName("state")]
    public string? State { get; init; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("steps")]
    public IReadOnlyList<SavedStep> Steps { get; init; } = [];

    /// <summary>What the refresh saw when the plan was made (null for --refresh=false): apply of this plan compares the sources with it.</summary>
    [JsonPropertyName("refresh")]
    public SavedRefresh? Refresh { get; init; }

    public static SavedPlan From(PlanResult result, string savedFile, string? stateOption)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(savedFile))!;
        return new SavedPlan
        {
            PlanName = result.Plan.Name,
            PlanFile = Path.GetRelativePath(folder, result.Plan.PlanFile),
            PlanHash = result.Plan.ContentHash,
            StateHash = result.StateHash,
            State = stateOption is null ? null : Path.GetRelativePath(folder, Path.GetFullPath(stateOption)),
            CreatedAt = DateTimeOffset.UtcNow,
            Steps = result.Steps.Select(s => new SavedStep(s.Step.Id, PlanRenderer.Word(s.Action), s.Step.InputHash) { Reason = s.Reason }).ToList(),
            Refresh = result.Refresh is { } refresh ? SavedRefresh.From(refresh) : null,
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>Reads a saved plan, or returns null when the file is not one (a YAML plan).</summary>
    public static SavedPlan? TryRead(string path)
    {
        using var stream = File.OpenRead(path);
        var first = stream.ReadByte();
        while (first is ' ' or '\n' or '\r' or '\t')
        {
            first = stream.ReadByte();
        }

        if (first != '{')
        {
            return null;
        }

        stream.Position = 0;
        try
        {
            var saved = JsonSerializer.Deserialize<SavedPlan>(stream);
            return saved?.Kind == KindName ? saved : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string? ResolveState(string savedFile) =>
        State is null ? null : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(savedFile))!, State));

    public string ResolvePlanFile(string savedFile) =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(savedFile))!, PlanFile));
}

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

public sealed record SavedStep(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("input_hash")] string InputHash)
{
    [JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }
}

/// <summary>The refresh figures a saved plan was computed against: per mailbox its pending and vanished counts and each folder's count and cursor.</summary>
public sealed record SavedRefresh
{
    [JsonPropertyName("mailboxes")]
    public IReadOnlyList<SavedMailboxRefresh> Mailboxes { get; init; } = [];

    /// <summary>Exchange-native migrations: whether the service was read (the step actions it led to are in the plan's steps).</summary>
    [JsonPropertyName("native")]
    public IReadOnlyList<SavedNativeRefresh> Native { get; init; } = [];

    public static SavedRefresh From(RefreshResult refresh) => new()
    {
        Mailboxes = refresh.Mailboxes.Select(m => new SavedMailboxRefresh(m.Migration, m.Mailbox, RefreshWords.Of(m.State), m.PendingMessages, m.Vanished, m.Folders)).ToList(),
        Native = refresh.Native.Select(n => new SavedNativeRefresh(n.Migration, n.Refreshed, n.Note)).ToList(),
    };
}

public sealed record SavedMailboxRefresh(
    [property: JsonPropertyName("migration")] string Migration,
    [property: JsonPropertyName("mailbox")] string Mailbox,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("pending_messages")] long PendingMessages,
    [property: JsonPropertyName("vanished")] long Vanished,
    [property: JsonPropertyName("folders")] IReadOnlyList<FolderFigure> Folders);

public sealed record SavedNativeRefresh(
    [property: JsonPropertyName("migration")] string Migration,
    [property: JsonPropertyName("refreshed")] bool Refreshed,
    [property: JsonPropertyName("note")] string? Note);

/// <summary>The words refresh states are written with (plan's JSON output and saved plans).</summary>
public static class RefreshWords
{
    public static string Of(RefreshState state) => state switch
    {
        RefreshState.Refreshed => "refreshed",
        RefreshState.Failed => "failed",
        RefreshState.NeverCopied => "never copied",
        _ => "not refreshed",
    };
}

using System.Data.Common;

namespace MigrationEngine.Core.State;

/// <summary>
/// Turns state rows into records the same way for every store: the column order of steps, item events and ledger
/// entries is shared, only how a timestamp is stored differs (text in SQLite, timestamptz in PostgreSQL).
/// </summary>
public abstract class StateRowReader(string location)
{
    /// <summary>A non-null timestamp column as the store keeps it.</summary>
    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    public DateTimeOffset? ReadNullableTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    /// <summary>A step from step_id, kind, input_hash, status, attempts, started_at, finished_at, error, result_json.</summary>
    public StepRecord ReadStep(DbDataReader reader) => new()
    {
        StepId = reader.GetString(0),
        Kind = reader.GetString(1),
        InputHash = reader.GetString(2),
        Status = ParseStatus(reader.GetString(3)),
        Attempts = reader.GetInt32(4),
        StartedAt = ReadNullableTime(reader, 5),
        FinishedAt = ReadNullableTime(reader, 6),
        Error = reader.IsDBNull(7) ? null : reader.GetString(7),
        ResultJson = reader.IsDBNull(8) ? null : reader.GetString(8),
    };

    /// <summary>A step's status from step_id, kind, input_hash, status, error, result_json (<see cref="StepStatusQuery"/>): no timings.</summary>
    public StepRecord ReadStepStatus(DbDataReader reader) => new()
    {
        StepId = reader.GetString(0),
        Kind = reader.GetString(1),
        InputHash = reader.GetString(2),
        Status = ParseStatus(reader.GetString(3)),
        Error = reader.IsDBNull(4) ? null : reader.GetString(4),
        ResultJson = reader.IsDBNull(5) ? null : reader.GetString(5),
    };

    /// <summary>An item event from migration, mailbox, folder, source_id, kind, reason, size, run_id, recorded_at.</summary>
    public ItemEvent ReadItemEvent(DbDataReader reader) => new()
    {
        Migration = reader.GetString(0),
        Mailbox = reader.GetString(1),
        Folder = reader.GetString(2),
        SourceId = reader.GetString(3),
        Kind = reader.GetString(4),
        Reason = reader.GetString(5),
        Size = reader.GetInt64(6),
        RunId = reader.GetInt64(7),
        RecordedAt = ReadTime(reader, 8),
    };

    /// <summary>A ledger entry from the 14 ledger columns (migration .. run_id) starting at <paramref name="first"/>.</summary>
    public LedgerEntry ReadLedgerEntry(DbDataReader reader, int first) => new()
    {
        Migration = reader.GetString(first),
        Mailbox = reader.GetString(first + 1),
        Folder = reader.GetString(first + 2),
        FolderValidity = reader.GetInt64(first + 3),
        SourceId = reader.GetString(first + 4),
        MessageId = reader.IsDBNull(first + 5) ? null : reader.GetString(first + 5),
        DedupKey = reader.GetString(first + 6),
        Sha256 = reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7),
        Size = reader.GetInt64(first + 8),
        TargetFolder = reader.GetString(first + 9),
        TargetId = reader.IsDBNull(first + 10) ? null : reader.GetString(first + 10),
        Outcome = reader.GetString(first + 11),
        RecordedAt = ReadTime(reader, first + 12),
        RunId = reader.GetInt64(first + 13),
    };

    public static string FormatStatus(StepStatus status) => status switch
    {
        StepStatus.Pending => "pending",
        StepStatus.Running => "running",
        StepStatus.Succeeded => "succeeded",
        StepStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown step status"),
    };

    public StepStatus ParseStatus(string text) => text switch
    {
        "pending" => StepStatus.Pending,
        "running" => StepStatus.Running,
        "succeeded" => StepStatus.Succeeded,
        "failed" => StepStatus.Failed,
        _ => throw new StateStoreException($"state database '{location}' holds an unknown step status '{text}'; it was written by another version of the engine."),
    };
}

using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MigrationEngine.Core.State;

namespace MigrationEngine.State.Sqlite;

public sealed partial class SqliteStateStore
{
    private const string LedgerColumns =
        "plan, migration, mailbox, folder, folder_validity, source_id, message_id, dedup_key, sha256, size, target_folder, target_id, outcome, recorded_at, run_id";

    private const string LedgerConflict = "ON CONFLICT (plan, migration, mailbox, folder, folder_validity, source_id) DO NOTHING";

    /// <summary>
    /// A whole batch in one statement: the rows arrive as one JSON array of arrays (see <see cref="LedgerRowsJson"/>) and
    /// SQLite's json_each turns them back into rows, in array order, so the ids follow the batch as before and an entry
    /// already recorded (or met twice in the batch) is skipped by the same conflict clause. One INSERT a message cost 15
    /// parameter binds by name and a statement step from managed code each: about a tenth of the client CPU of a
    /// 10,000-message IMAP copy. "WHERE true" is SQLite's documented way to keep the upsert's ON from being read as a join
    /// constraint of the SELECT (https://sqlite.org/lang_upsert.html, "Parsing Ambiguity").
    /// </summary>
    private const string LedgerInsertFromJson = $"""
        INSERT INTO ledger ({LedgerColumns})
        SELECT $plan, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, r.value ->> 5, r.value ->> 6,
               r.value ->> 7, r.value ->> 8, r.value ->> 9, r.value ->> 10, r.value ->> 11, r.value ->> 12, r.value ->> 13
        FROM json_each($rows) AS r
        WHERE true
        ORDER BY r.key
        {LedgerConflict}
        """;

    private const string LedgerInsertOne = $"""
        INSERT INTO ledger ({LedgerColumns})
        VALUES ($plan, $migration, $mailbox, $folder, $validity, $source, $messageId, $dedup, $sha, $size,
                $targetFolder, $targetId, $outcome, $recorded, $run)
        {LedgerConflict}
        """;

    // Non-ASCII text is written as UTF-8 rather than \u escapes; quotes, backslashes and control characters are escaped.
    private static readonly JsonWriterOptions LedgerJsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>
    /// Records the batch in one transaction; an entry already recorded (same plan, migration, mailbox, folder, validity and
    /// source id) is left as it was. Entries without <see cref="LedgerEntry.RecordedAt"/> get the current time.
    /// </summary>
    public Task RecordMessagesAsync(string planName, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken) =>
        RecordMessagesCheckedAsync(planName, entries, null, cancellationToken);

    /// <summary>Records a batch; <paramref name="precondition"/> runs first in the same transaction and may refuse it by throwing.</summary>
    private Task RecordMessagesCheckedAsync(string planName, IReadOnlyList<LedgerEntry> entries, Action<SqliteConnection, SqliteTransaction>? precondition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            precondition?.Invoke(connection, transaction);
            var now = FormatTime(DateTimeOffset.UtcNow);
            if (LedgerRowsJson(entries, now) is { } rows)
            {
                using var statement = Statement(connection, transaction, LedgerInsertFromJson, ("$plan", planName), ("$rows", rows));
                statement.Command.ExecuteNonQuery();
            }
            else
            {
                InsertLedgerRows(connection, transaction, planName, entries, now);
            }

            transaction.Commit();
            return 0;
        }, cancellationToken);
    }

    /// <summary>One INSERT a message: for a batch whose text JSON cannot carry unchanged (see <see cref="IsJsonSafe"/>).</summary>
    private void InsertLedgerRows(SqliteConnection connection, SqliteTransaction transaction, string planName, IReadOnlyList<LedgerEntry> entries, string now)
    {
        using var statement = Statement(connection, transaction, LedgerInsertOne);
        var command = statement.Command;
        var parameters = AddParameters(command, "$plan", "$migration", "$mailbox", "$folder", "$validity", "$source", "$messageId", "$dedup", "$sha",
            "$size", "$targetFolder", "$targetId", "$outcome", "$recorded", "$run");
        foreach (var entry in entries)
        {
            parameters[0].Value = planName;
            parameters[1].Value = entry.Migration;
            parameters[2].Value = entry.Mailbox;
            parameters[3].Value = entry.Folder;
            parameters[4].Value = entry.FolderValidity;
            parameters[5].Value = entry.SourceId;
            parameters[6].Value = DbValue(entry.MessageId);
            parameters[7].Value = entry.DedupKey;
            parameters[8].Value = DbValue(entry.Sha256);
            parameters[9].Value = entry.Size;
            parameters[10].Value = entry.TargetFolder;
            parameters[11].Value = DbValue(entry.TargetId);
            parameters[12].Value = entry.Outcome;
            parameters[13].Value = RecordedAt(entry, now);
            parameters[14].Value = entry.RunId;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// The batch as a JSON array with one array a row, in the column order of <see cref="LedgerInsertFromJson"/>; null when a
    /// text of the batch is not <see cref="IsJsonSafe">safe</see> to send this way.
    /// </summary>
    internal static string? LedgerRowsJson(IReadOnlyList<LedgerEntry> entries, string now)
    {
        var buffer = new ArrayBufferWriter<byte>(entries.Count * 320);
        using (var json = new Utf8JsonWriter(buffer, LedgerJsonOptions))
        {
            json.WriteStartArray();
            foreach (var entry in entries)
            {
                if (!IsJsonSafe(entry.Migration) || !IsJsonSafe(entry.Mailbox) || !IsJsonSafe(entry.Folder) || !IsJsonSafe(entry.SourceId)
                    || !IsJsonSafe(entry.MessageId) || !IsJsonSafe(entry.DedupKey) || !IsJsonSafe(entry.Sha256) || !IsJsonSafe(entry.TargetFolder)
                    || !IsJsonSafe(entry.TargetId) || !IsJsonSafe(entry.Outcome))
                {
                    return null;
                }

                json.WriteStartArray();
                json.WriteStringValue(entry.Migration);
                json.WriteStringValue(entry.Mailbox);
                json.WriteStringValue(entry.Folder);
                json.WriteNumberValue(entry.FolderValidity);
                json.WriteStringValue(entry.SourceId);
                WriteNullable(json, entry.MessageId);
                json.WriteStringValue(entry.DedupKey);
                WriteNullable(json, entry.Sha256);
                json.WriteNumberValue(entry.Size);
                json.WriteStringValue(entry.TargetFolder);
                WriteNullable(json, entry.TargetId);
                json.WriteStringValue(entry.Outcome);
                json.WriteStringValue(RecordedAt(entry, now));
                json.WriteNumberValue(entry.RunId);
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Whether a text goes through JSON into SQLite unchanged. A bound parameter stores any text as it is (a lone surrogate
    /// as U+FFFD); JSON cannot carry a lone surrogate at all, and SQLite's JSON functions are not documented to keep a
    /// NUL. Such a text comes only from a hostile or broken message, and its batch then takes the one-row path, so what
    /// is stored (and later matched to skip a copy) never depends on the path.
    /// </summary>
    internal static bool IsJsonSafe(string? text)
    {
        if (text is null)
        {
            return true;
        }

        var span = text.AsSpan();
        if (span.Contains('\0'))
        {
            return false;
        }

        for (var i = span.IndexOfAnyInRange('\uD800', '\uDFFF'); i >= 0 && i < span.Length; i++)
        {
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(span[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteNullable(Utf8JsonWriter json, string? text)
    {
        if (text is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteStringValue(text);
        }
    }

    private static string RecordedAt(LedgerEntry entry, string now) => entry.RecordedAt == default ? now : FormatTime(entry.RecordedAt);
}

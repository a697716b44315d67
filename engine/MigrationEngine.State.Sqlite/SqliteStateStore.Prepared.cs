using Microsoft.Data.Sqlite;

namespace MigrationEngine.State.Sqlite;

/// <summary>
/// Statements of the writer connection kept prepared: the ones a run writes per mailbox (steps, leases, ledger) are compiled
/// once instead of once per write. Preparing an insert into <c>steps</c> or <c>ledger</c> also compiles the revision
/// triggers on them, and preparing was most of SQLite's share of a run of many small mailboxes (a perf profile of 1,000
/// mailboxes: the parser and code generator above the statements' execution). Only the writer's statements are kept: it is
/// used under the write gate, one caller at a time; a reader's are made and disposed as before.
/// </summary>
public sealed partial class SqliteStateStore
{
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    /// <summary>Executes <paramref name="sql"/> with a statement kept prepared when <paramref name="connection"/> is the writer.</summary>
    private int ExecutePrepared(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var statement = Statement(connection, transaction, sql, parameters);
        return statement.Command.ExecuteNonQuery();
    }

    /// <summary>
    /// A command for <paramref name="sql"/>: on the writer, the one kept prepared for it (its parameters replaced), which
    /// disposing the statement leaves alone; on another connection a new one, disposed with the statement.
    /// </summary>
    private PreparedStatement Statement(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        if (!ReferenceEquals(connection, _writer))
        {
            return new PreparedStatement(Command(connection, transaction, sql, parameters), Owned: true);
        }

        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _writer.CreateCommand();
            command.CommandText = sql;
            _prepared[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, DbValue(value));
        }

        return new PreparedStatement(command, Owned: false);
    }

    /// <summary>Disposes the kept statements (before the writer is closed: SQLite closes a connection only without them).</summary>
    private void DisposePrepared()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _prepared.Clear();
    }

    /// <summary>A command to run once; disposes it only when it was made for this use.</summary>
    private readonly record struct PreparedStatement(SqliteCommand Command, bool Owned) : IDisposable
    {
        public void Dispose()
        {
            if (Owned)
            {
                Command.Dispose();
            }
        }
    }
}

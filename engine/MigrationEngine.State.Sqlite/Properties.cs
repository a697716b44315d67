using System.Runtime.CompilerServices;

// Tests drive the schema migrator with synthetic migrations and write raw rows (simulated old or foreign locks).
[assembly: InternalsVisibleTo("MigrationEngine.State.Sqlite.Tests")]

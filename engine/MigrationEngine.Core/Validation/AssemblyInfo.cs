using System.Runtime.CompilerServices;

// Tests compare the mailbox fast path with plain NJsonSchema validation.
[assembly: InternalsVisibleTo("MigrationEngine.Core.Tests")]

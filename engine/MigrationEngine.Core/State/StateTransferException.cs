using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.State;

/// <summary>An export file that cannot be read; <see cref="Location"/> names the line.</summary>
public sealed class StateTransferException(string message, SourceLocation? location = null) : Exception(message)
{
    public SourceLocation? Location { get; } = location;
}

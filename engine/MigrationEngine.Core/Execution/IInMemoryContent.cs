
namespace MigrationEngine.Core.Execution;

/// <summary>
/// Implemented by a content stream whose bytes are already whole in memory: the executor hashes them in one call instead
/// of while the target reads, and a target may send them again (a refused batch replayed message by message).
/// </summary>
public interface IInMemoryContent
{
    ReadOnlyMemory<byte> Bytes { get; }
}

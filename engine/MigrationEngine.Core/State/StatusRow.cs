
namespace MigrationEngine.Core.State;

/// <summary>One mailbox as <c>status</c> shows it; who holds its lease is live and added when it is printed.</summary>
public sealed record StatusRow(string Migration, string Mailbox, string Status, int StepsDone, int Steps, long Copied, long Bytes, long AlreadyPresent, long LeftOut, long BadItems, string? Error)
{
    public long PlacedElsewhere { get; init; }
}

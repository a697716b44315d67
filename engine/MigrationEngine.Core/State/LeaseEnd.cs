
namespace MigrationEngine.Core.State;

/// <summary>How a holder's time on a mailbox ended, in the lease history.</summary>
public enum LeaseEnd
{
    /// <summary>Still held (or its holder vanished and nobody has taken it over yet).</summary>
    Open,

    /// <summary>The holder gave it up when done.</summary>
    Released,

    /// <summary>Another apply took it over after it expired or its holder died.</summary>
    TakenOver,

    /// <summary>Broken by <c>migrate unlock --force</c>.</summary>
    Broken,
}

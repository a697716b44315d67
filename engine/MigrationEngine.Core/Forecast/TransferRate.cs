namespace MigrationEngine.Core.Forecast;

/// <summary>Where the transfer rate came from: this plan's earlier runs, or the engine's conservative default.</summary>
public sealed record TransferRate(double BytesPerSecond, double MessagesPerSecond, bool Measured, string Basis)
{
    /// <summary>
    /// The default per mailbox until a run of this plan measures its own: 2 MB per second and 10 messages per second. These are
    /// conservative figures of the engine, well under what it measures against Dovecot on loopback (docs/design.md, "Forecast"),
    /// because real servers and networks are slower; the range spans half to twice the rate. Hard limits (Gmail's quota,
    /// Graph's windows) are Microsoft's and Google's published figures and bind whatever the rate.
    /// </summary>
    public static TransferRate Default { get; } = new(2.0 * 1024 * 1024, 10, false,
        "no run of this plan has measured a rate yet: the engine's conservative defaults, 2 MB/s and 10 messages/s per mailbox");
}

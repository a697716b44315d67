namespace MigrationEngine.Core.State;

/// <summary>The outcomes a ledger entry records.</summary>
public static class LedgerOutcomes
{
    /// <summary>Appended to the target by this engine.</summary>
    public const string Copied = "copied";

    /// <summary>Found already in the target (a copy the ledger had lost).</summary>
    public const string Present = "present";

    /// <summary>Re-pointed after a UIDVALIDITY change to a message an earlier entry already accounts for.</summary>
    public const string Relinked = "relinked";
}

namespace MigrationEngine.Core.State;

/// <summary>A ledger entry with the id its store gave it (ids order a folder's history and feed the state hash).</summary>
public sealed record LedgerRow(long Id, LedgerEntry Entry);

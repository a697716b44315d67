using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MigrationEngine.Core.State;

/// <summary>
/// The state hash a saved plan carries (<c>apply FILE</c> refuses when it moved): SHA-256, lower-case hex, over the plan's
/// steps (id, input hash, status, in id order) and its ledger (entry count and highest entry id, which only grows). Both
/// stores feed this one builder from one read snapshot, so SQLite and PostgreSQL give the same hash for the same state.
/// </summary>
public sealed class StateHash
{
    /// <summary>The hash of a plan with no step and no ledger entry (SHA-256 of nothing).</summary>
    public const string Empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private readonly StringBuilder _text = new();

    /// <summary>Steps must be added in ordinal order of their ids.</summary>
    public void AddStep(string stepId, string inputHash, string status) =>
        _text.Append("step\t").Append(stepId).Append('\t').Append(inputHash).Append('\t').Append(status).Append('\n');

    public void AddLedger(long count, long highestId)
    {
        if (count > 0)
        {
            _text.Append(CultureInfo.InvariantCulture, $"ledger\t{count}\t{highestId}\n");
        }
    }

    public string Value => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_text.ToString())));
}

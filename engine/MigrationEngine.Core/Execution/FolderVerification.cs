using System.Text.Json.Serialization;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// One target folder's verification. <see cref="Duplicates"/>: target messages beyond the source's count of a message
/// (its dedup key), each a copy of a source message too many; <see cref="DuplicateKeys"/> names a few. <see cref="Foreign"/>:
/// target messages matching no source message (new mail after the MX switch, others' copies): counted, never touched.
/// </summary>
public sealed record FolderVerification(
    string TargetFolder,
    int Expected,
    int Found,
    int Missing,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Duplicates = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Foreign = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? DuplicateKeys = null);

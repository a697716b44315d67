using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Binding;

/// <summary>A mailbox set: its nodes, its CSV (rows as read), the entries bound from either, and which migrations use it.</summary>
public sealed class BoundMailboxSet(string name, YamlTreeScalar key, YamlTreeMapping? node)
{
    public string Name { get; } = name;

    public YamlTreeScalar Key { get; } = key;

    /// <summary>Null when the set is not a mapping (the schema reports it).</summary>
    public YamlTreeMapping? Node { get; } = node;

    public CsvMailboxFile? Csv { get; set; }

    public string? CsvFullPath { get; set; }

    public List<MailboxEntry> Entries { get; } = [];

    /// <summary>The types of the migrations that use the set: each decides which CSV columns it needs.</summary>
    public HashSet<MigrationType> UsedByTypes { get; } = [];

    /// <summary>Used by an IMAP migration into Exchange Online, where Microsoft's 50,000-row limit applies.</summary>
    public bool UsedByMicrosoftImap { get; set; }
}

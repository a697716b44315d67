namespace MigrationEngine.Core.Loading;

public sealed class YamlTreeMapping(int line, int column, bool isFlow) : YamlTreeNode(line, column)
{
    private Dictionary<string, YamlTreeEntry>? _index;

    public List<YamlTreeEntry> Entries { get; } = [];

    public bool IsFlow { get; } = isFlow;

    /// <summary>Comments after the last entry, before the mapping ends.</summary>
    public List<string> EndComments { get; } = [];

    public YamlTreeEntry? FindEntry(string key)
    {
        if (Entries.Count < 8)
        {
            foreach (var entry in Entries)
            {
                if (entry.Key.Value == key)
                {
                    return entry;
                }
            }

            return null;
        }

        if (_index is null || _index.Count != Entries.Count)
        {
            _index = new Dictionary<string, YamlTreeEntry>(StringComparer.Ordinal);
            foreach (var entry in Entries)
            {
                _index.TryAdd(entry.Key.Value, entry);
            }
        }

        return _index.GetValueOrDefault(key);
    }

    public YamlTreeNode? Get(string key) => FindEntry(key)?.Value;

    public YamlTreeScalar? GetScalar(string key) => Get(key) as YamlTreeScalar;

    public string? GetString(string key) => Get(key) is YamlTreeScalar { IsNull: false } s ? s.Value : null;

    public YamlTreeMapping? GetMapping(string key) => Get(key) as YamlTreeMapping;

    public YamlTreeSequence? GetSequence(string key) => Get(key) as YamlTreeSequence;
}

using System.Collections.Frozen;

namespace MigrationEngine.Core.Model;

/// <summary>One enum's spellings in the plan, both ways. Exact and case-sensitive, as the schema's enums are.</summary>
public sealed class Spellings<TEnum>
    where TEnum : struct, Enum
{
    private readonly FrozenDictionary<TEnum, string> _words;
    private readonly FrozenDictionary<string, TEnum> _values;

    public Spellings(params (TEnum Value, string Word)[] pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        _words = pairs.ToFrozenDictionary(p => p.Value, p => p.Word);
        _values = pairs.ToFrozenDictionary(p => p.Word, p => p.Value, StringComparer.Ordinal);
        Words = [.. pairs.Select(p => p.Word)];
        Values = [.. pairs.Select(p => p.Value)];
    }

    /// <summary>The words, in the order the schema lists them.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The values that have a word (not an Unknown placeholder), in the schema's order.</summary>
    public IReadOnlyList<TEnum> Values { get; }

    /// <summary>The plan's word for <paramref name="value"/>; "" for a value without one (Unknown).</summary>
    public string Of(TEnum value) => _words.TryGetValue(value, out var word) ? word : "";

    /// <summary>The value the plan's word names; false for a word the schema does not know.</summary>
    public bool TryParse(string? word, out TEnum value)
    {
        if (word is not null && _values.TryGetValue(word, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The value for a word, or null for a missing or unknown word.</summary>
    public TEnum? Parse(string? word) => TryParse(word, out var value) ? value : null;
}

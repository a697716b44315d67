using System.Runtime.CompilerServices;

namespace MigrationEngine.Core.Model;

/// <summary>One enum's spellings in the plan, both ways. Exact and case-sensitive, as the schema's enums are.</summary>
/// <remarks>
/// Plain arrays searched in order (a vocabulary has at most a dozen words), compared as the enum's int value: a framework
/// collection keyed or valued by the enum (a FrozenDictionary was used) is a generic instantiation over one of our value
/// types, which ReadyToRun cannot precompile, and the JIT compiling it for each of the plan's 15 vocabularies took about
/// 0.2 s of every command's start-up (measured with an EventPipe thread-time trace of `migrate validate`).
/// </remarks>
public sealed class Spellings<TEnum>
    where TEnum : struct, Enum
{
    private readonly int[] _values;
    private readonly string[] _words;
    private readonly TEnum[] _enumValues;

    public Spellings(params (TEnum Value, string Word)[] pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (Unsafe.SizeOf<TEnum>() != sizeof(int))
        {
            throw new ArgumentException($"{typeof(TEnum).Name} is not an int-sized enum.", nameof(pairs));
        }

        _values = new int[pairs.Length];
        _words = new string[pairs.Length];
        _enumValues = new TEnum[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            _enumValues[i] = pairs[i].Value;
            _values[i] = AsInt(pairs[i].Value);
            _words[i] = pairs[i].Word;
        }

        Words = Array.AsReadOnly(_words);
    }

    /// <summary>The words, in the order the schema lists them.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The plan's word for <paramref name="value"/>; "" for a value without one (Unknown).</summary>
    public string Of(TEnum value)
    {
        var key = AsInt(value);
        for (var i = 0; i < _values.Length; i++)
        {
            if (_values[i] == key)
            {
                return _words[i];
            }
        }

        return "";
    }

    /// <summary>The value the plan's word names; false for a word the schema does not know.</summary>
    public bool TryParse(string? word, out TEnum value)
    {
        if (word is not null)
        {
            for (var i = 0; i < _words.Length; i++)
            {
                if (string.Equals(_words[i], word, StringComparison.Ordinal))
                {
                    value = _enumValues[i];
                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    /// <summary>The value for a word, or null for a missing or unknown word.</summary>
    public TEnum? Parse(string? word) => TryParse(word, out var value) ? value : null;

    private static int AsInt(TEnum value) => Unsafe.As<TEnum, int>(ref value);
}

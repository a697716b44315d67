using System.Collections.ObjectModel;

namespace MigrationEngine.Core.Pim.VCards;

/// <summary>
/// One content line of a vCard: <c>[group.]NAME[;param=value...]:value</c>. <see cref="RawValue"/> is the value after
/// transfer decoding (unfolded, quoted-printable and charset decoded) with the vCard's backslash escapes still in place,
/// so structured values (N, ADR, ORG) can be split on their unescaped separators; <see cref="Value"/> is the text with the
/// escapes resolved. Base64 values (PHOTO;ENCODING=b, data: URIs) stay text in <see cref="RawValue"/> and decoded in
/// <see cref="Data"/>.
/// </summary>
public sealed class VCardProperty
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoParameters =
        new ReadOnlyDictionary<string, IReadOnlyList<string>>(new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase));

    private readonly bool _legacyEscapes;

    /// <param name="rawValue">The value in its escaped form (as it stands in a 3.0 / 4.0 file after unfolding).</param>
    public VCardProperty(string name, string rawValue, string? group = null,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? parameters = null)
        : this(name, rawValue, group, parameters, legacyEscapes: false, data: null)
    {
    }

    internal VCardProperty(string name, string rawValue, string? group,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? parameters, bool legacyEscapes, byte[]? data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(rawValue);
        Name = name.ToUpperInvariant();
        RawValue = rawValue;
        Group = string.IsNullOrEmpty(group) ? null : group;
        _legacyEscapes = legacyEscapes;
        Data = data;
        if (parameters is null)
        {
            Parameters = NoParameters;
            return;
        }

        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, values) in parameters)
        {
            var upper = key.ToUpperInvariant();
            map[upper] = map.TryGetValue(upper, out var existing) ? [.. existing, .. values] : values.ToArray();
        }

        Parameters = new ReadOnlyDictionary<string, IReadOnlyList<string>>(map);
    }

    /// <summary>A text property from plain text (escapes added for you).</summary>
    public static VCardProperty Text(string name, string text, string? group = null,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? parameters = null) =>
        new(name, VCardValues.Escape(text), group, parameters);

    /// <summary>A structured property (N, ADR, ORG) from its components, each escaped and joined with ';'.</summary>
    public static VCardProperty Structured(string name, IEnumerable<string> components, string? group = null,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? parameters = null) =>
        new(name, string.Join(';', components.Select(VCardValues.Escape)), group, parameters);

    /// <summary>A list property (CATEGORIES, NICKNAME) from its values, each escaped and joined with ','.</summary>
    public static VCardProperty List(string name, IEnumerable<string> values, string? group = null,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? parameters = null) =>
        new(name, string.Join(',', values.Select(VCardValues.Escape)), group, parameters);

    /// <summary>A binary property (PHOTO, LOGO, KEY) as the version writes it: data: URI in 4.0, ENCODING=b in 3.0, BASE64 in 2.1.</summary>
    public static VCardProperty Binary(string name, byte[] data, string mediaType, VCardVersion version, string? group = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var base64 = Convert.ToBase64String(data);
        var subtype = mediaType.Contains('/', StringComparison.Ordinal) ? mediaType[(mediaType.IndexOf('/', StringComparison.Ordinal) + 1)..] : mediaType;
        return version switch
        {
            VCardVersion.V4 => new(name, $"data:{mediaType};base64,{base64}", group, null, false, data),
            VCardVersion.V3 => new(name, base64, group, [Param("ENCODING", "b"), Param("TYPE", subtype.ToUpperInvariant())], false, data),
            _ => new(name, base64, group, [Param("ENCODING", "BASE64"), Param("TYPE", subtype.ToUpperInvariant())], true, data),
        };
    }

    public static KeyValuePair<string, IReadOnlyList<string>> Param(string name, params string[] values) => new(name, values);

    /// <summary>Apple's item1 in item1.EMAIL (ties a property to its X-ABLabel), or null.</summary>
    public string? Group { get; }

    /// <summary>Upper case (EMAIL, X-ABLABEL).</summary>
    public string Name { get; }

    /// <summary>Parameter name (upper case, looked up case-insensitively) to its values; 2.1's bare TEL;WORK;VOICE are TYPE values.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters { get; }

    /// <summary>The value with the vCard's backslash escapes still in place.</summary>
    public string RawValue { get; }

    /// <summary>The value as text: escapes resolved (\n a line break, \, \; \\ the character).</summary>
    public string Value => VCardValues.Unescape(RawValue, _legacyEscapes);

    /// <summary>Decoded bytes of a base64 value (ENCODING=b / BASE64, data:...;base64,), or null for text.</summary>
    public byte[]? Data { get; }

    /// <summary>The value split on its unescaped ';' (N: family, given, additional, prefixes, suffixes), each unescaped.</summary>
    public IReadOnlyList<string> Components =>
        VCardValues.SplitUnescaped(RawValue, ';').Select(c => VCardValues.Unescape(c, _legacyEscapes)).ToArray();

    /// <summary>The value split on its unescaped ',' (CATEGORIES, NICKNAME), each unescaped.</summary>
    public IReadOnlyList<string> ListValues =>
        VCardValues.SplitUnescaped(RawValue, ',').Select(c => VCardValues.Unescape(c, _legacyEscapes)).ToArray();

    /// <summary>Component <paramref name="index"/> split on its unescaped ',' (ADR street lines, N given names), each unescaped.</summary>
    public IReadOnlyList<string> ComponentValues(int index)
    {
        var components = VCardValues.SplitUnescaped(RawValue, ';');
        if (index < 0 || index >= components.Count)
            return [];
        return VCardValues.SplitUnescaped(components[index], ',').Select(c => VCardValues.Unescape(c, _legacyEscapes)).ToArray();
    }

    public IReadOnlyList<string> Parameter(string name) => Parameters.TryGetValue(name, out var values) ? values : [];

    /// <summary>Whether TYPE names <paramref name="type"/> (case-insensitive): TYPE=work,voice, TYPE=WORK;TYPE=VOICE, 2.1's WORK.</summary>
    public bool HasType(string type) =>
        Parameter("TYPE").Any(v => v.Split(',').Any(t => string.Equals(t.Trim(), type, StringComparison.OrdinalIgnoreCase)));

    public override string ToString() => (Group is null ? "" : Group + ".") + Name + ":" + RawValue;
}

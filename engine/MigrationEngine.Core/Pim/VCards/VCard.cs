namespace MigrationEngine.Core.Pim.VCards;

/// <summary>
/// One vCard (BEGIN:VCARD ... END:VCARD) as a list of properties in file order. The reader keeps every property, known or
/// not, so a card written back with <see cref="VCardWriter"/> loses nothing; a card it could not read whole carries a
/// <see cref="Problem"/> instead of throwing (the caller reports it as a bad item and goes on).
/// </summary>
public sealed class VCard
{
    public VCard(IEnumerable<VCardProperty> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        Properties = properties.ToArray();
    }

    /// <summary>Every property between BEGIN and END (VERSION included), in the order they came.</summary>
    public IReadOnlyList<VCardProperty> Properties { get; }

    /// <summary>Why the card could not be read whole (broken quoted-printable, invalid base64, missing END), or null.</summary>
    public string? Problem { get; init; }

    /// <summary>1-based line of BEGIN:VCARD in the text it was read from (0 for a card built in code).</summary>
    public int Line { get; init; }

    /// <summary>The card's lines as they stood in the text it was read from (CRLF line ends), empty for a card built in code.</summary>
    public string SourceText { get; init; } = "";

    public string? Version => First("VERSION")?.Value.Trim();

    public string? Uid => First("UID")?.Value;

    public string? FormattedName => First("FN")?.Value;

    /// <summary>The known version, <see cref="VCardVersion.V3"/> when the card names none or one we do not know.</summary>
    public VCardVersion VersionKind => VCardVersions.Parse(Version);

    public VCardProperty? First(string name) =>
        Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<VCardProperty> All(string name) =>
        Properties.Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The properties of one Apple-style group (item1.EMAIL, item1.X-ABLabel), in file order.</summary>
    public IEnumerable<VCardProperty> Group(string group) =>
        Properties.Where(p => string.Equals(p.Group, group, StringComparison.OrdinalIgnoreCase));
}

internal static class VCardVersions
{
    public static VCardVersion Parse(string? version) => version?.Trim() switch
    {
        "2.1" => VCardVersion.V21,
        "4.0" => VCardVersion.V4,
        _ => VCardVersion.V3,
    };
}

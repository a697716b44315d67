namespace MigrationEngine.Core.Execution;

/// <summary>
/// An address book (contacts) or a calendar of one mailbox. <see cref="Path"/> is the collection's name as the user knows
/// it with '/' between levels (a subfolder of <c>contacts/</c> in an ics-vcf tree, a DAV collection's display name);
/// the default collection is <see cref="DefaultPath"/> and maps to the target's default one (Graph: the default contact
/// folder and calendar).
/// </summary>
public sealed record PimCollection(ItemKind Kind, string Path)
{
    public const string DefaultPath = "";

    /// <summary>The adapter's own name for it (folder path, DAV href, Graph id), opaque to the core.</summary>
    public string? NativeName { get; init; }

    /// <summary>Shown name where the source has one beside <see cref="Path"/> (DAV displayname).</summary>
    public string? DisplayName { get; init; }

    public bool IsDefault => Path.Length == 0;
}

using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// The one home of the rule "which endpoint type carries which item kinds" (the plan's <c>items:</c>). Validation refuses
/// a migration whose source or target cannot carry an item kind it names, and names the types that can, from this table;
/// the adapters do not repeat it. A type the table does not know carries mail only.
/// </summary>
public static class ItemCapabilities
{
    private static readonly IReadOnlySet<ItemKind> MailOnly = new HashSet<ItemKind> { ItemKind.Mail };
    private static readonly IReadOnlySet<ItemKind> Everything = new HashSet<ItemKind> { ItemKind.Mail, ItemKind.Contacts, ItemKind.Calendar };
    private static readonly IReadOnlySet<ItemKind> PimOnly = new HashSet<ItemKind> { ItemKind.Contacts, ItemKind.Calendar };

    /// <summary>Source types (with a layout where it decides) and what they carry, in the order diagnostics name them.</summary>
    private static readonly (string Type, string? Layout, IReadOnlySet<ItemKind> Kinds)[] Sources =
    [
        ("imap", null, MailOnly),
        ("exchange", null, MailOnly),
        ("gworkspace", null, MailOnly),
        ("mbox", "takeout", Everything),
        ("mbox", null, MailOnly),
        ("maildir", null, MailOnly),
        ("eml", null, MailOnly),
        ("pst", null, Everything),
        ("ics-vcf", null, PimOnly),
        ("dav", null, PimOnly),
    ];

    private static readonly (string Type, IReadOnlySet<ItemKind> Kinds)[] Targets =
    [
        ("graph", Everything),
        ("imap", MailOnly),
        ("maildir", Everything),
        ("ics-vcf", PimOnly),
        ("dav", PimOnly),
    ];

    /// <summary>What the endpoint carries (a source's layout counts: an mbox Takeout export holds contacts and calendars).</summary>
    public static IReadOnlySet<ItemKind> Of(EndpointDefinition endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Role == EndpointRole.Target)
        {
            foreach (var (type, kinds) in Targets)
            {
                if (type == endpoint.Type)
                {
                    return kinds;
                }
            }

            return MailOnly;
        }

        if (endpoint.Type == "pst" && endpoint.Engine == "importService")
        {
            return MailOnly;
        }

        foreach (var (type, layout, kinds) in Sources)
        {
            if (type == endpoint.Type && (layout is null || string.Equals(layout, endpoint.Layout, StringComparison.OrdinalIgnoreCase)))
            {
                return kinds;
            }
        }

        return MailOnly;
    }

    /// <summary>The types that carry <paramref name="kind"/> on this side, as a diagnostic names them ("mbox (layout: takeout)").</summary>
    public static IReadOnlyList<string> TypesCarrying(EndpointRole role, ItemKind kind) => role == EndpointRole.Target
        ? Targets.Where(t => t.Kinds.Contains(kind)).Select(t => t.Type).ToList()
        : Sources.Where(s => s.Kinds.Contains(kind)).Select(s => s.Layout is null ? s.Type : $"{s.Type} (layout: {s.Layout})").ToList();

    /// <summary>The plan's spelling of an item kind.</summary>
    public static string Name(ItemKind kind) => kind switch
    {
        ItemKind.Mail => "mail",
        ItemKind.Contacts => "contacts",
        ItemKind.Calendar => "calendar",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static ItemKind? Parse(string text) => text switch
    {
        "mail" => ItemKind.Mail,
        "contacts" => ItemKind.Contacts,
        "calendar" => ItemKind.Calendar,
        _ => null,
    };
}

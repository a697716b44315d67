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
    private static readonly (EndpointType Type, MboxLayout? Layout, IReadOnlySet<ItemKind> Kinds)[] Sources =
    [
        (EndpointType.Imap, null, MailOnly),
        (EndpointType.Exchange, null, MailOnly),
        (EndpointType.Gworkspace, null, MailOnly),
        (EndpointType.Mbox, MboxLayout.Takeout, Everything),
        (EndpointType.Mbox, null, MailOnly),
        (EndpointType.Maildir, null, MailOnly),
        (EndpointType.Eml, null, MailOnly),
        (EndpointType.Pst, null, Everything),
        (EndpointType.IcsVcf, null, PimOnly),
        (EndpointType.Dav, null, PimOnly),
    ];

    private static readonly (EndpointType Type, IReadOnlySet<ItemKind> Kinds)[] Targets =
    [
        (EndpointType.Graph, Everything),
        (EndpointType.Imap, MailOnly),
        (EndpointType.Maildir, Everything),
        (EndpointType.IcsVcf, PimOnly),
        (EndpointType.Dav, PimOnly),
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

        if (endpoint.Type == EndpointType.Pst && endpoint.Engine == PstEngine.ImportService)
        {
            return MailOnly;
        }

        foreach (var (type, layout, kinds) in Sources)
        {
            if (type == endpoint.Type && (layout is null || layout == endpoint.Layout))
            {
                return kinds;
            }
        }

        return MailOnly;
    }

    /// <summary>The types that carry <paramref name="kind"/> on this side, as a diagnostic names them ("mbox (layout: takeout)").</summary>
    public static IReadOnlyList<string> TypesCarrying(EndpointRole role, ItemKind kind) => role == EndpointRole.Target
        ? Targets.Where(t => t.Kinds.Contains(kind)).Select(t => t.Type.Yaml()).ToList()
        : Sources.Where(s => s.Kinds.Contains(kind)).Select(s => s.Layout is { } layout ? $"{s.Type.Yaml()} (layout: {layout.Yaml()})" : s.Type.Yaml()).ToList();

    /// <summary>The plan's spelling of an item kind.</summary>
    public static string Name(ItemKind kind) => kind.Yaml();

    public static ItemKind? Parse(string text) => PlanVocabulary.ItemKinds.Parse(text);
}

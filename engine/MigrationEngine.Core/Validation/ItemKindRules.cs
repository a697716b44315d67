using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// A migration's <c>items:</c> (mail, contacts, calendar; default mail only, so plans written before it keep their
/// meaning) and the rule that its source and target carry each kind it names (<see cref="ItemCapabilities"/>).
/// </summary>
internal static class ItemKindRules
{
    public static IReadOnlyList<ItemKind> Read(YamlTreeMapping migration)
    {
        var sequence = migration.GetSequence("items");
        if (sequence is null)
        {
            return [ItemKind.Mail];
        }

        // The schema refuses unknown words and repeats; what is left is kept in the plan's order.
        var kinds = new List<ItemKind>();
        foreach (var item in sequence.Items)
        {
            if (item.Value is YamlTreeScalar scalar && ItemCapabilities.Parse(scalar.Value) is { } kind && !kinds.Contains(kind))
            {
                kinds.Add(kind);
            }
        }

        return kinds.Count == 0 ? [ItemKind.Mail] : kinds;
    }

    public static void Check(YamlTreeMapping node, MigrationDefinition migration, EndpointDefinition? source, EndpointDefinition? target,
        DiagnosticBag diagnostics, Func<YamlTreeNode, SourceLocation> loc)
    {
        var itemsNode = node.Get("items");
        var native = ExchangeOnlineRules.RunsInExchangeOnline(migration.Type, migration.Engine) || (migration.Type == MigrationType.Pst && source?.Engine == PstEngine.ImportService);
        if (native)
        {
            if (itemsNode is not null)
            {
                diagnostics.Add(DiagnosticCatalog.ItemsOnNativeMigration, loc(itemsNode), "remove items: here; the service moves mail, contacts and calendars of the mailboxes it migrates",
                    migration.Name, migration.Type.Yaml());
            }

            return;
        }

        foreach (var kind in migration.Items)
        {
            var where = loc(itemsNode ?? node.Get("from") ?? node);
            if (source is not null && !ItemCapabilities.Of(source).Contains(kind))
            {
                diagnostics.Add(DiagnosticCatalog.ItemKindNotInSource, where, Hint(source, kind),
                    migration.Name, ItemCapabilities.Name(kind), source.Name, source.Type.Yaml(), Names(ItemCapabilities.Of(source)),
                    string.Join(", ", ItemCapabilities.TypesCarrying(EndpointRole.Source, kind)));
            }

            if (target is not null && !ItemCapabilities.Of(target).Contains(kind))
            {
                diagnostics.Add(DiagnosticCatalog.ItemKindNotInTarget, loc(itemsNode ?? node.Get("to") ?? node), Hint(target, kind),
                    migration.Name, ItemCapabilities.Name(kind), target.Name, target.Type.Yaml(), Names(ItemCapabilities.Of(target)),
                    string.Join(", ", ItemCapabilities.TypesCarrying(EndpointRole.Target, kind)));
            }
        }
    }

    private static string Hint(EndpointDefinition endpoint, ItemKind kind)
    {
        var carried = ItemCapabilities.Of(endpoint);
        if (kind == ItemKind.Mail && !carried.Contains(ItemKind.Mail))
        {
            return $"set items: [{Names(carried)}] for this {(endpoint.Role == EndpointRole.Source ? "source" : "target")}, or use another one for the mail";
        }

        return endpoint.Type == EndpointType.Imap && endpoint.Role == EndpointRole.Source
            ? "IMAP carries mail only: read contacts and calendars from the host's CardDAV/CalDAV (type: dav) or an export (type: ics-vcf) in a second migration"
            : $"leave {ItemCapabilities.Name(kind)} out of items:, or move it with a second migration between endpoints that carry it";
    }

    private static string Names(IReadOnlySet<ItemKind> kinds) =>
        string.Join(", ", Enum.GetValues<ItemKind>().Where(kinds.Contains).Select(ItemCapabilities.Name));
}

using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// The rule that a migration's source and target carry each item kind its <c>items:</c> names (<see cref="ItemCapabilities"/>).
/// </summary>
internal static class ItemKindRules
{
    public static void Check(YamlTreeMapping node, MigrationDefinition migration, EndpointDefinition? source, EndpointDefinition? target,
        DiagnosticBag diagnostics, Func<YamlTreeNode, SourceLocation> loc)
    {
        var itemsNode = node.Get("items");
        var native = ExchangeOnline.RunsMigration(migration.Type, migration.Engine) || (migration.Type == MigrationType.Pst && source?.Engine == PstEngine.ImportService);
        if (native)
        {
            if (itemsNode is not null)
            {
                diagnostics.Add(Diagnose.ItemsOnNativeMigration(loc(itemsNode),
                    migration.Name, migration.Type.Yaml(),
                    hint: "remove items: here; the service moves mail, contacts and calendars of the mailboxes it migrates"));
            }

            return;
        }

        foreach (var kind in migration.Items)
        {
            var where = loc(itemsNode ?? node.Get("from") ?? node);
            if (source is not null && !ItemCapabilities.Of(source).Contains(kind))
            {
                diagnostics.Add(Diagnose.ItemKindNotInSource(where,
                    migration.Name, ItemCapabilities.Name(kind), source.Name, source.Type.Yaml(), Names(ItemCapabilities.Of(source)),
                    string.Join(", ", ItemCapabilities.TypesCarrying(EndpointRole.Source, kind)), hint: Hint(source, kind)));
            }

            if (target is not null && !ItemCapabilities.Of(target).Contains(kind))
            {
                diagnostics.Add(Diagnose.ItemKindNotInTarget(loc(itemsNode ?? node.Get("to") ?? node),
                    migration.Name, ItemCapabilities.Name(kind), target.Name, target.Type.Yaml(), Names(ItemCapabilities.Of(target)),
                    string.Join(", ", ItemCapabilities.TypesCarrying(EndpointRole.Target, kind)), hint: Hint(target, kind)));
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

using MigrationEngine.Core.Binding;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// Names and what they name: unique migration names, the sources, targets, mailbox sets and migrations a migration refers
/// to (with a did-you-mean), lists without repeats, and a mailbox set that is either a CSV or an inline list.
/// </summary>
internal static class ReferenceRules
{
    public static void Check(BoundPlan plan, DiagnosticBag diagnostics)
    {
        foreach (var set in plan.Sets.Values)
        {
            if (set.Node is { } node && (node.FindEntry("csv") is null) == (node.FindEntry("mailboxes") is null))
            {
                diagnostics.Add(DiagnosticCatalog.MailboxSetShape, plan.Loc(set.Key), null, set.Name);
            }
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var migration in plan.Migrations)
        {
            var node = migration.Node;
            var name = migration.Definition.Name;
            if (node.GetScalar("name") is { } nameNode && !names.TryAdd(name, nameNode.Line))
            {
                diagnostics.Add(DiagnosticCatalog.DuplicateMigrationName, plan.Loc(nameNode), null, name, names[name]);
            }

            CheckEndpointReference(plan, node.GetScalar("from"), plan.Sources, DiagnosticCatalog.UnknownSource, name, diagnostics);
            CheckEndpointReference(plan, node.GetScalar("to"), plan.Targets, DiagnosticCatalog.UnknownTarget, name, diagnostics);
            CheckSetReferences(plan, migration, diagnostics);
            CheckRepeats(plan, node.GetSequence("dependsOn"), "dependsOn", diagnostics);
        }

        var migrationNames = plan.Migrations.Select(m => m.Definition.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var migration in plan.Migrations)
        {
            foreach (var (dependency, dependencyNode) in migration.DependsOn)
            {
                if (!migrationNames.Contains(dependency))
                {
                    diagnostics.Add(DiagnosticCatalog.UnknownDependency, plan.Loc(dependencyNode), Suggestions.DidYouMean(dependency, migrationNames),
                        migration.Definition.Name, dependency, "");
                }
            }
        }
    }

    private static void CheckEndpointReference(BoundPlan plan, YamlTreeScalar? reference, Dictionary<string, BoundEndpoint> endpoints,
        DiagnosticDescriptor unknown, string migration, DiagnosticBag diagnostics)
    {
        if (reference is not null && !endpoints.ContainsKey(reference.Value))
        {
            diagnostics.Add(unknown, plan.Loc(reference), Suggestions.DidYouMean(reference.Value, endpoints.Keys), migration, reference.Value, "");
        }
    }

    private static void CheckSetReferences(BoundPlan plan, BoundMigration migration, DiagnosticBag diagnostics)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in migration.Node.GetSequence("mailboxSets")?.Items ?? [])
        {
            if (item.Value is not YamlTreeScalar setName)
            {
                continue;
            }

            if (seen.Contains(setName.Value))
            {
                diagnostics.Add(DiagnosticCatalog.DuplicateItems, plan.Loc(setName), null, "mailboxSets");
            }
            else if (plan.Sets.ContainsKey(setName.Value))
            {
                seen.Add(setName.Value);
            }
            else
            {
                diagnostics.Add(DiagnosticCatalog.UnknownMailboxSet, plan.Loc(setName), Suggestions.DidYouMean(setName.Value, plan.Sets.Keys),
                    migration.Definition.Name, setName.Value, "");
            }
        }
    }

    private static void CheckRepeats(BoundPlan plan, YamlTreeSequence? list, string what, DiagnosticBag diagnostics)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list?.Items ?? [])
        {
            if (item.Value is YamlTreeScalar scalar && !seen.Add(scalar.Value))
            {
                diagnostics.Add(DiagnosticCatalog.DuplicateItems, plan.Loc(scalar), null, what);
            }
        }
    }
}

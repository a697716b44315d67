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
                diagnostics.Add(Diagnose.MailboxSetShape(plan.Loc(set.Key), set.Name));
            }
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var migration in plan.Migrations)
        {
            var node = migration.Node;
            var name = migration.Definition.Name;
            if (node.GetScalar("name") is { } nameNode && !names.TryAdd(name, nameNode.Line))
            {
                diagnostics.Add(Diagnose.DuplicateMigrationName(plan.Loc(nameNode), name, names[name]));
            }

            CheckEndpointReference(plan, node.GetScalar("from"), plan.Sources, Diagnose.UnknownSource, name, diagnostics);
            CheckEndpointReference(plan, node.GetScalar("to"), plan.Targets, Diagnose.UnknownTarget, name, diagnostics);
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
                    diagnostics.Add(Diagnose.UnknownDependency(plan.Loc(dependencyNode),
                        migration.Definition.Name, dependency, hint: Suggestions.DidYouMean(dependency, migrationNames)));
                }
            }
        }
    }

    private static void CheckEndpointReference(BoundPlan plan, YamlTreeScalar? reference, Dictionary<string, BoundEndpoint> endpoints,
        Func<SourceLocation, string, string, string?, Diagnostic> unknown, string migration, DiagnosticBag diagnostics)
    {
        if (reference is not null && !endpoints.ContainsKey(reference.Value))
        {
            diagnostics.Add(unknown(plan.Loc(reference), migration, reference.Value, Suggestions.DidYouMean(reference.Value, endpoints.Keys)));
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
                diagnostics.Add(Diagnose.DuplicateItems(plan.Loc(setName), "mailboxSets"));
            }
            else if (plan.Sets.ContainsKey(setName.Value))
            {
                seen.Add(setName.Value);
            }
            else
            {
                diagnostics.Add(Diagnose.UnknownMailboxSet(plan.Loc(setName),
                    migration.Definition.Name, setName.Value, hint: Suggestions.DidYouMean(setName.Value, plan.Sets.Keys)));
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
                diagnostics.Add(Diagnose.DuplicateItems(plan.Loc(scalar), what));
            }
        }
    }
}

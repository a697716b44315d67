using MigrationEngine.Core.Binding;
using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// <c>dependsOn</c> without cycles: each cycle is reported once, at the dependency that closes it, with its path
/// (a -> b -> a). Iterative, so a long chain of migrations cannot overflow the stack.
/// </summary>
internal static class DependencyCycleRules
{
    public static void Check(BoundPlan plan, DiagnosticBag diagnostics)
    {
        var byName = new Dictionary<string, BoundMigration>(StringComparer.Ordinal);
        foreach (var migration in plan.Migrations)
        {
            byName.TryAdd(migration.Definition.Name, migration);
        }

        // Depth-first search with colours: 0 unvisited, 1 on the current path, 2 finished.
        var colour = new Dictionary<string, int>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in plan.Migrations)
        {
            if (colour.GetValueOrDefault(start.Definition.Name) != 0)
            {
                continue;
            }

            var path = new List<string>();
            var stack = new Stack<(string Name, int Next)>();
            stack.Push((start.Definition.Name, 0));
            colour[start.Definition.Name] = 1;
            path.Add(start.Definition.Name);
            while (stack.Count > 0)
            {
                var (name, next) = stack.Pop();
                var dependencies = byName[name].DependsOn;
                if (next >= dependencies.Count)
                {
                    colour[name] = 2;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }

                stack.Push((name, next + 1));
                var (dependency, dependencyNode) = dependencies[next];
                if (!byName.ContainsKey(dependency))
                {
                    continue;
                }

                var state = colour.GetValueOrDefault(dependency);
                if (state == 1)
                {
                    var cycle = path.Skip(path.IndexOf(dependency)).Append(dependency).ToList();
                    var identity = string.Join(",", cycle.Skip(1).Order(StringComparer.Ordinal));
                    if (reported.Add(identity))
                    {
                        diagnostics.Add(Diagnose.DependencyCycle(plan.Loc(dependencyNode), string.Join(" -> ", cycle)));
                    }
                }
                else if (state == 0)
                {
                    colour[dependency] = 1;
                    path.Add(dependency);
                    stack.Push((dependency, 0));
                }
            }
        }
    }
}

using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Inventory;

/// <summary>
/// Lines of a migration's settings (<c>filters</c>, <c>folders</c>, <c>labelCopies</c>), so that a finding points at the
/// line to change. The model keeps one location per migration; the plan is parsed again once, and a plan that cannot be read
/// any more falls back to the migration's line.
/// </summary>
internal sealed class MigrationPositions(PlanModel plan)
{
    private IReadOnlyList<YamlTreeMapping>? _migrations;

    /// <summary>The line of <paramref name="dottedKey"/> inside the migration, else of its first present parent, else the migration.</summary>
    public SourceLocation Of(MigrationDefinition migration, string dottedKey)
    {
        var node = Migrations().FirstOrDefault(m => m.GetString("name") == migration.Name);
        YamlTreeNode? best = null;
        YamlTreeNode? found = node;
        foreach (var key in dottedKey.Split('.'))
        {
            // The key's own line: the line an admin edits (a block value starts on the next one).
            var entry = (found as YamlTreeMapping)?.FindEntry(key);
            if (entry is null)
            {
                break;
            }

            best = entry.Key;
            found = entry.Value;
        }

        return best is null ? migration.Location : new SourceLocation(migration.Location.File, best.Line, best.Column);
    }

    private IReadOnlyList<YamlTreeMapping> Migrations()
    {
        if (_migrations is null)
        {
            try
            {
                var text = RegularFile.ReadAllText(plan.PlanFile, YamlTreeReader.MaxFileBytes);
                var root = YamlTreeReader.Parse(text, plan.PlanFile, new DiagnosticBag())?.Root as YamlTreeMapping;
                _migrations = root?.GetMapping("spec")?.GetSequence("migrations")?.Items.Select(i => i.Value).OfType<YamlTreeMapping>().ToList() ?? [];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _migrations = [];
            }
        }

        return _migrations;
    }
}

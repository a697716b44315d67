using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Checking;

/// <summary>
/// Lines of an endpoint's settings, for diagnostics that point at the setting itself (<c>caFile</c>, <c>auth.password</c>)
/// rather than at the endpoint. The model keeps one location per endpoint; the plan file is parsed again only when a
/// diagnostic needs a line, and a plan that cannot be read any more falls back to the endpoint's line.
/// </summary>
internal sealed class PlanPositions(PlanModel plan)
{
    private YamlTreeMapping? _root;
    private bool _parsed;

    public SourceLocation Of(EndpointDefinition endpoint, string dottedKey)
    {
        var node = Root()?.GetMapping("spec")?.GetMapping(endpoint.Role == EndpointRole.Source ? "sources" : "targets")?.GetMapping(endpoint.Name);
        var keys = dottedKey.Split('.');
        YamlTreeNode? found = node;
        foreach (var key in keys)
        {
            found = (found as YamlTreeMapping)?.Get(key);
        }

        return found is null ? endpoint.Location : new SourceLocation(endpoint.Location.File, found.Line, found.Column);
    }

    private YamlTreeMapping? Root()
    {
        if (!_parsed)
        {
            _parsed = true;
            try
            {
                var text = RegularFile.ReadAllText(plan.PlanFile, YamlTreeReader.MaxFileBytes);
                _root = YamlTreeReader.Parse(text, plan.PlanFile, new DiagnosticBag())?.Root as YamlTreeMapping;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _root = null;
            }
        }

        return _root;
    }
}

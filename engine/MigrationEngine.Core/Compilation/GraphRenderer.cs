using System.Text;
using System.Text.Json;

namespace MigrationEngine.Core.Compilation;

/// <summary>Deterministic text forms of the execution graph (golden-file tested).</summary>
public static class GraphRenderer
{
    public static string Render(ExecutionGraph graph, string format) => format switch
    {
        "mermaid" => Mermaid(graph),
        "dot" => Dot(graph),
        "json" => Json(graph),
        _ => throw new ArgumentException($"unknown graph format '{format}' (mermaid, dot, json)", nameof(format)),
    };

    public static string Mermaid(ExecutionGraph graph)
    {
        var ids = NodeIds(graph);
        var text = new StringBuilder();
        text.Append("flowchart TD\n");
        foreach (var step in graph.Steps)
        {
            text.Append("  ").Append(ids[step.Id]).Append("[\"").Append(EscapeMermaid(step.Id)).Append("\"]\n");
        }

        foreach (var step in graph.Steps)
        {
            foreach (var dependency in step.DependsOn)
            {
                text.Append("  ").Append(ids[dependency]).Append(" --> ").Append(ids[step.Id]).Append('\n');
            }
        }

        return text.ToString();
    }

    public static string Dot(ExecutionGraph graph)
    {
        var text = new StringBuilder();
        text.Append("digraph \"").Append(EscapeDot(graph.PlanName)).Append("\" {\n");
        text.Append("  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n");
        foreach (var step in graph.Steps)
        {
            text.Append("  \"").Append(EscapeDot(step.Id)).Append("\" [label=\"").Append(EscapeDot(step.Id)).Append("\\n").Append(EscapeDot(step.KindText)).Append("\"];\n");
        }

        foreach (var step in graph.Steps)
        {
            foreach (var dependency in step.DependsOn)
            {
                text.Append("  \"").Append(EscapeDot(dependency)).Append("\" -> \"").Append(EscapeDot(step.Id)).Append("\";\n");
            }
        }

        text.Append("}\n");
        return text.ToString();
    }

    public static string Json(ExecutionGraph graph)
    {
        var model = new
        {
            format_version = "1",
            plan = graph.PlanName,
            steps = graph.Steps.Select(s => new
            {
                id = s.Id,
                kind = s.KindText,
                migration = s.Migration,
                mailbox = s.Mailbox,
                input_hash = s.InputHash,
                depends_on = s.DependsOn,
                description = s.Description,
            }),
        };
        return JsonSerializer.Serialize(model, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static Dictionary<string, string> NodeIds(ExecutionGraph graph)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Steps.Count; i++)
        {
            ids[graph.Steps[i].Id] = "s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return ids;
    }

    private static string EscapeMermaid(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);

    private static string EscapeDot(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}

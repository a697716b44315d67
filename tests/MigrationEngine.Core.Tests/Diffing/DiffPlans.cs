using MigrationEngine.Core.Model;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Diffing;

/// <summary>Writes plan versions into their own folders and loads them with the real loader.</summary>
internal sealed class DiffPlans : IDisposable
{
    private readonly TempDirectory _temp = new("me-diff");

    public PlanModel Load(string label, string yaml, IReadOnlyDictionary<string, string>? files = null)
    {
        var folder = Path.Combine(_temp.Path, label);
        Directory.CreateDirectory(folder);
        foreach (var (relative, content) in files ?? new Dictionary<string, string>())
        {
            var path = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        var planPath = Path.Combine(folder, "plan.yaml");
        File.WriteAllText(planPath, yaml);
        var result = PlanPipeline.Load(planPath, $"{label}/plan.yaml");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics.Select(d => d.ToMsBuildString())));
        return result.Plan!;
    }

    public void Dispose() => _temp.Dispose();
}

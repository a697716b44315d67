using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Binding;

/// <summary>
/// What the Bind stage made of a plan: the model's parts, each next to the YAML nodes it came from, so that the Validate
/// stage's rules can name the exact line and column of what they find. <see cref="ToModel"/> is the <see cref="PlanModel"/>.
/// Bound even when the plan has errors (only what has the expected shape), so every rule still runs and reports.
/// </summary>
public sealed class BoundPlan(string file, string planFullPath, YamlTreeMapping root)
{
    /// <summary>The plan's display path: how diagnostics name it.</summary>
    public string File { get; } = file;

    public string PlanFullPath { get; } = planFullPath;

    public YamlTreeMapping Root { get; } = root;

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    /// <summary><c>spec.options.allowPlaintextSecrets</c>, and where it was written (for the warning that says so).</summary>
    public bool AllowPlaintextSecrets { get; set; }

    public YamlTreeEntry? AllowPlaintextSecretsEntry { get; set; }

    public bool AllowSharedTargets { get; set; }

    public List<string> AllowedRoots { get; } = [];

    public Dictionary<string, BoundEndpoint> Sources { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, BoundEndpoint> Targets { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, BoundMailboxSet> Sets { get; } = new(StringComparer.Ordinal);

    public List<BoundMigration> Migrations { get; } = [];

    public List<ReportDefinition> Reports { get; } = [];

    /// <summary>Every secret the plan and its CSVs name, as written, for the secret rules; the model holds the parsed references.</summary>
    public List<BoundSecret> Secrets { get; } = [];

    /// <summary>The CSV files read, in the order read (the plan's content hash covers them in this order).</summary>
    public List<CsvMailboxFile> CsvFiles { get; } = [];

    public SourceLocation Loc(YamlTreeNode node) => new(File, node.Line, node.Column);

    public PlanModel ToModel() => new()
    {
        Name = Name,
        Description = Description,
        Labels = Labels,
        PlanFile = PlanFullPath,
        ContentHash = "",
        Sources = Sources.ToDictionary(p => p.Key, p => p.Value.Definition, StringComparer.Ordinal),
        Targets = Targets.ToDictionary(p => p.Key, p => p.Value.Definition, StringComparer.Ordinal),
        MailboxSets = Sets.Values.ToDictionary(
            s => s.Name,
            s => new MailboxSet { Name = s.Name, Location = Loc(s.Key), CsvFile = s.CsvFullPath, Mailboxes = s.Entries },
            StringComparer.Ordinal),
        Migrations = Migrations.Select(m => m.Definition).ToList(),
        Reports = Reports,
        AllowPlaintextSecrets = AllowPlaintextSecrets,
        AllowedRoots = AllowedRoots,
        AllowSharedTargets = AllowSharedTargets,
    };
}

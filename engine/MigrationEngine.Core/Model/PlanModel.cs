
namespace MigrationEngine.Core.Model;

/// <summary>A validated, resolved migration plan (apiVersion migration-engine/v1). Produced by the Validate stage only.</summary>
public sealed record PlanModel
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Absolute path of the plan file.</summary>
    public required string PlanFile { get; init; }

    /// <summary>Folder of the plan file: relative paths (CSV, file:, caFile, data paths) resolve against it.</summary>
    public string PlanDirectory => Path.GetDirectoryName(PlanFile)!;

    /// <summary>SHA-256 (hex) over the plan file and every file it reads (CSVs), for saved plans.</summary>
    public required string ContentHash { get; init; }

    /// <summary>Full paths of the files besides the plan that <see cref="ContentHash"/> covers (its CSVs), in the order hashed.</summary>
    public IReadOnlyList<string> InputFiles { get; init; } = [];

    public IReadOnlyDictionary<string, EndpointDefinition> Sources { get; init; } = new Dictionary<string, EndpointDefinition>();
    public IReadOnlyDictionary<string, EndpointDefinition> Targets { get; init; } = new Dictionary<string, EndpointDefinition>();
    public IReadOnlyDictionary<string, MailboxSet> MailboxSets { get; init; } = new Dictionary<string, MailboxSet>();
    public IReadOnlyList<MigrationDefinition> Migrations { get; init; } = [];
    public IReadOnlyList<ReportDefinition> Reports { get; init; } = [];

    /// <summary><c>spec.options.allowPlaintextSecrets</c>: the explicit opt-in for literal secrets.</summary>
    public bool AllowPlaintextSecrets { get; init; }

    /// <summary><c>spec.options.allowedRoots</c>: absolute folders outside the plan's folder that its paths may name.</summary>
    public IReadOnlyList<string> AllowedRoots { get; init; } = [];

    /// <summary><c>spec.options.allowSharedTargets</c>: target mailboxes may be written by other states or plans too.</summary>
    public bool AllowSharedTargets { get; init; }

    /// <summary>The rule for every path the plan names: inside its folder or an allowed root.</summary>
    public Loading.PlanPaths Paths => new(PlanDirectory, AllowedRoots);
}

using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Binding;

/// <summary>
/// The Bind stage: a schema-shaped plan tree (and the rows of the CSVs it names, read by the Load stage's
/// <see cref="CsvMailboxFile"/>) into a <see cref="BoundPlan"/>: enums from their YAML words (<see cref="PlanVocabulary"/>),
/// paths made absolute, dates, durations and sizes parsed, mailbox entries from inline lists and CSV rows.
/// It reports only what cannot be bound: a value the schema let through that means nothing (2024-02-30, a 0-byte size),
/// a path outside the plan's folder, a mailbox address or CSV row that cannot become an entry. Rules over what was bound
/// are the Validate stage's (<see cref="Validation.PlanValidator"/>).
/// Written defensively: it also runs when the schema found errors, and then binds only what has the expected shape.
/// </summary>
public sealed partial class PlanBinder
{
    private readonly string _file;
    private readonly string _planDirectory;
    private readonly string _displayDirectory;
    private readonly DiagnosticBag _diagnostics;
    private readonly BoundPlan _plan;
    private PlanPaths _paths = null!;

    private PlanBinder(YamlTreeMapping root, string file, string planFullPath, DiagnosticBag diagnostics)
    {
        _file = file;
        _planDirectory = Path.GetDirectoryName(planFullPath) ?? Directory.GetCurrentDirectory();
        _displayDirectory = Path.GetDirectoryName(file) ?? "";
        _diagnostics = diagnostics;
        _plan = new BoundPlan(file, planFullPath, root);
    }

    /// <param name="root">The plan's root mapping.</param>
    /// <param name="file">The plan's display path.</param>
    /// <param name="planFullPath">Absolute path of the plan: relative paths resolve against its folder.</param>
    /// <param name="diagnostics">Receives what cannot be bound.</param>
    public static BoundPlan Bind(YamlTreeMapping root, string file, string planFullPath, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(root);
        var binder = new PlanBinder(root, file, planFullPath, diagnostics);
        binder.Run(root);
        return binder._plan;
    }

    private void Run(YamlTreeMapping root)
    {
        var spec = root.GetMapping("spec");
        BindOptions(spec?.GetMapping("options"));
        var metadata = root.GetMapping("metadata");
        _plan.Name = metadata?.GetString("name") ?? "";
        _plan.Description = metadata?.GetString("description");
        foreach (var entry in metadata?.GetMapping("labels")?.Entries ?? [])
        {
            if (entry.Value is YamlTreeScalar value)
            {
                _plan.Labels[entry.Key.Value] = value.Value;
            }
        }

        // Sets before migrations (a migration names the sets it uses), CSV rows after them (the migrations that use a set
        // decide which columns its rows need).
        BindEndpoints(spec?.GetMapping("sources"), EndpointRole.Source, _plan.Sources);
        BindEndpoints(spec?.GetMapping("targets"), EndpointRole.Target, _plan.Targets);
        BindMailboxSets(spec?.GetMapping("mailboxSets"));
        BindMigrations(spec?.GetSequence("migrations"));
        BindCsvRows();
        foreach (var item in spec?.GetSequence("reports")?.Items ?? [])
        {
            if (item.Value is YamlTreeMapping node && node.GetString("template") is { } template && node.GetString("output") is { } output)
            {
                _plan.Reports.Add(new ReportDefinition(template, output, Loc(node)));
            }
        }
    }

    private void BindOptions(YamlTreeMapping? options)
    {
        var allowEntry = options?.FindEntry("allowPlaintextSecrets");
        _plan.AllowPlaintextSecrets = allowEntry?.Value is YamlTreeScalar allow && YamlScalars.AsBoolean(allow) == true;
        _plan.AllowPlaintextSecretsEntry = _plan.AllowPlaintextSecrets ? allowEntry : null;
        foreach (var item in options?.GetSequence("allowedRoots")?.Items ?? [])
        {
            if (item.Value is not YamlTreeScalar { IsNull: false } root)
            {
                continue;
            }

            // A relative root would move with the working directory: the one path rule needs fixed folders.
            if (!Path.IsPathFullyQualified(root.Value) || root.Value.AsSpan().IndexOfAny('\0', '\n') >= 0)
            {
                _diagnostics.Add(Diagnose.AllowedRootNotAbsolute(Loc(root), Quote.Cell(root.Value),
                    hint: "write the folder as an absolute path such as /srv/mail"));
                continue;
            }

            _plan.AllowedRoots.Add(Path.GetFullPath(root.Value));
        }

        _paths = new PlanPaths(_planDirectory, _plan.AllowedRoots);
        _plan.AllowSharedTargets = Bool(options, "allowSharedTargets") ?? false;
    }

    /// <summary>
    /// A secret property: parsed into a reference and recorded as written for the secret rules (which refuse literals, empty
    /// references and loose or misplaced files). A plan with such an error yields no model, so the parsed value is never used.
    /// </summary>
    private SecretReference? Secret(YamlTreeMapping node, string key, string path)
    {
        if (node.Get(key) is not YamlTreeScalar { IsNull: false } scalar)
        {
            return null;
        }

        _plan.Secrets.Add(new BoundSecret(scalar.Value, Loc(scalar), path + "." + key, null));
        return SecretReference.Parse(scalar.Value);
    }

    public static int? Int(YamlTreeMapping? node, string key) =>
        node?.Get(key) is YamlTreeScalar scalar && YamlScalars.Classify(scalar, out var value, out _) == YamlScalarType.Integer
            && value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : null;

    public static bool? Bool(YamlTreeMapping? node, string key) =>
        node?.Get(key) is YamlTreeScalar scalar ? YamlScalars.AsBoolean(scalar) : null;

    public static List<string> Strings(YamlTreeSequence? sequence) =>
        sequence?.Items.Select(i => i.Value).OfType<YamlTreeScalar>().Select(s => s.Value).ToList() ?? [];

    private string CombineDisplay(string relative)
    {
        if (Path.IsPathRooted(relative))
        {
            return relative;
        }

        var combined = _displayDirectory.Length == 0 ? relative : _displayDirectory + "/" + relative;
        return combined.Replace('\\', '/');
    }

    private SourceLocation Loc(YamlTreeNode node) => new(_file, node.Line, node.Column);
}

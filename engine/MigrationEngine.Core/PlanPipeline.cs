using MigrationEngine.Core.Binding;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Validation;

namespace MigrationEngine.Core;

/// <summary>
/// The one way in for a plan: Load (file to positioned YAML tree, <see cref="PlanLoader"/>), the schema's check of the tree's
/// shape (<see cref="SchemaValidator"/>), Bind (tree and CSV rows to the model with positions, <see cref="PlanBinder"/>),
/// Validate (rules over the bound plan, <see cref="PlanValidator"/>). Never throws for anything the user wrote.
/// </summary>
public static class PlanPipeline
{
    /// <summary>Reads, binds and validates a plan file.</summary>
    /// <param name="path">The plan file.</param>
    /// <param name="displayPath">How diagnostics name the file (the path as the user typed it); CSVs are named relative to it.</param>
    public static PlanLoadResult Load(string path, string? displayPath = null)
    {
        var diagnostics = new DiagnosticBag();
        var text = PlanLoader.Read(path, Normalize(displayPath ?? path), diagnostics);
        return text is null ? Finish(null, diagnostics) : Analyze(text, diagnostics);
    }

    /// <summary>Validates plan text as if it were the file at <paramref name="path"/> (CSV paths resolve against its folder).</summary>
    public static PlanLoadResult LoadText(string yamlText, string path, string? displayPath = null) =>
        Analyze(PlanLoader.FromText(yamlText, path, Normalize(displayPath ?? path)), new DiagnosticBag());

    private static PlanLoadResult Analyze(PlanText text, DiagnosticBag diagnostics)
    {
        // Loading the JSON schema is a fixed cost of about a hundred milliseconds (reflection, JIT): overlap it with parsing,
        // or skip it for a plan text this build has already found valid.
        var cacheKey = SchemaValidationCache.Key(text.Bytes);
        // (NJsonSchema and Newtonsoft.Json are not even loaded then: nothing on that path names their types.)
        var schemaReady = SchemaValidationCache.IsKnownValid(cacheKey) ? null : PlanSchema.LoadInBackground();
        if (PlanLoader.Parse(text, diagnostics) is not { } root)
        {
            return Finish(null, diagnostics);
        }

        if (schemaReady is not null)
        {
            schemaReady.Wait();
            var before = diagnostics.Count;
            SchemaValidator.Validate(root, text.Display, diagnostics);
            if (diagnostics.Count == before)
            {
                SchemaValidationCache.RememberValid(cacheKey);
            }
        }

        // An unknown apiVersion means the rest of the document follows rules this build does not know.
        if (root.GetScalar("apiVersion") is { } apiVersion && !PlanSchema.KnownApiVersions.Contains(apiVersion.Value))
        {
            return Finish(null, diagnostics);
        }

        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(text.Path);
        }
        catch (ArgumentException)
        {
            fullPath = text.Path;
        }

        var bound = PlanBinder.Bind(root, text.Display, fullPath, diagnostics);
        PlanValidator.Validate(bound, diagnostics);
        if (diagnostics.HasErrors)
        {
            return Finish(null, diagnostics);
        }

        var plan = bound.ToModel() with
        {
            ContentHash = PlanContentHash.Of(text.Bytes, bound.CsvFiles.Select(csv => csv.Bytes)),
            InputFiles = [.. bound.CsvFiles.Select(csv => csv.FullPath)],
        };
        return Finish(plan, diagnostics);
    }

    private static string Normalize(string display) => display.Replace('\\', '/');

    private static PlanLoadResult Finish(PlanModel? plan, DiagnosticBag diagnostics) => new(plan, diagnostics.ToSortedList());
}

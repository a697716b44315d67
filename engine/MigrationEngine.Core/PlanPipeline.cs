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
        return text is null ? Finish(null, diagnostics) : Analyze(text, diagnostics, fromFile: true);
    }

    /// <summary>Validates plan text as if it were the file at <paramref name="path"/> (CSV paths resolve against its folder).</summary>
    public static PlanLoadResult LoadText(string yamlText, string path, string? displayPath = null) =>
        Analyze(PlanLoader.FromText(yamlText, path, Normalize(displayPath ?? path)), new DiagnosticBag());

    private static PlanLoadResult Analyze(PlanText text, DiagnosticBag diagnostics, bool fromFile = false)
    {
        // Loading the JSON schema is a fixed cost of about a hundred milliseconds (reflection, JIT): overlap it with parsing,
        // or skip it for a plan text this build has already found valid.
        var cacheKey = SchemaValidationCache.Key(text.Bytes);
        // (NJsonSchema and Newtonsoft.Json are not even loaded then: nothing on that path names their types.)
        var schemaReady = SchemaValidationCache.IsKnownValid(cacheKey) ? null : PlanSchema.LoadInBackground();
        var fullPath = FullPath(text.Path);
        // A plan file whose tree is kept beside it (PlanTreeCache) is not parsed again: YamlDotNet is not even loaded then.
        var root = fromFile ? PlanTreeCache.TryLoad(fullPath, cacheKey, text.Text) : null;
        byte[]? treeToKeep = null;
        if (root is null)
        {
            var beforeParse = diagnostics.Count;
            root = PlanLoader.Parse(text, diagnostics);
            if (root is null)
            {
                return Finish(null, diagnostics);
            }

            // Only a tree that parsed without a word is kept: a kept tree must say exactly what parsing says.
            treeToKeep = fromFile && diagnostics.Count == beforeParse && PlanTreeCache.CanKeep(fullPath) ? PlanTreeCache.Encode(root, cacheKey, text.Text) : null;
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
        if (treeToKeep is not null)
        {
            PlanTreeCache.Save(fullPath, treeToKeep);
        }

        return Finish(plan, diagnostics);
    }

    /// <summary>
    /// Whether the plan file at <paramref name="path"/> can be read without YamlDotNet (its tree is kept for its bytes as
    /// they are now). The process start-up asks it to leave YamlDotNet cold when it will not be needed; never throws.
    /// </summary>
    public static bool HasKeptTree(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > YamlTreeReader.MaxFileBytes)
            {
                return false;
            }

            var fullPath = info.FullName;
            return PlanTreeCache.Has(fullPath, SchemaValidationCache.Key(File.ReadAllBytes(fullPath)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    private static string FullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (ArgumentException)
        {
            return path;
        }
    }

    private static string Normalize(string display) => display.Replace('\\', '/');

    private static PlanLoadResult Finish(PlanModel? plan, DiagnosticBag diagnostics) => new(plan, diagnostics.ToSortedList());
}

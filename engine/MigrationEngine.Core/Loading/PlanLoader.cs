using System.Security.Cryptography;
using System.Text;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Validation;

namespace MigrationEngine.Core.Loading;

/// <summary>The outcome of loading a plan: the model when there are no errors, and every diagnostic, sorted.</summary>
public sealed record PlanLoadResult(PlanModel? Plan, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors { get; } = Diagnostics.Any(d => d.IsError);
}

/// <summary>Load → parse → schema → semantics → CSVs. Never throws for anything the user wrote.</summary>
public static class PlanLoader
{
    /// <summary>Reads and validates a plan file.</summary>
    /// <param name="path">The plan file.</param>
    /// <param name="displayPath">How diagnostics name the file (the path as the user typed it); CSVs are named relative to it.</param>
    public static PlanLoadResult Load(string path, string? displayPath = null)
    {
        var display = Normalize(displayPath ?? path);
        var diagnostics = new DiagnosticBag();
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                diagnostics.Add(DiagnosticCatalog.FileUnreadable, SourceLocation.None(display), null, "the file does not exist");
                return Finish(null, diagnostics);
            }

            if (info.Length > YamlTreeReader.MaxFileBytes)
            {
                diagnostics.Add(DiagnosticCatalog.FileTooLarge, SourceLocation.None(display), null, info.Length, (long)YamlTreeReader.MaxFileBytes);
                return Finish(null, diagnostics);
            }

            bytes = ReadBounded(path);
            if (bytes.Length > YamlTreeReader.MaxFileBytes)
            {
                // A device or pipe reports no length up front: the bounded read catches it.
                diagnostics.Add(DiagnosticCatalog.FileTooLarge, SourceLocation.None(display), null, (long)bytes.Length, (long)YamlTreeReader.MaxFileBytes);
                return Finish(null, diagnostics);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            diagnostics.Add(DiagnosticCatalog.FileUnreadable, SourceLocation.None(display), null, ex.Message);
            return Finish(null, diagnostics);
        }

        var text = YamlTreeReader.DecodeUtf8(bytes, display, diagnostics);
        if (text is null)
        {
            return Finish(null, diagnostics);
        }

        return Analyze(text, bytes, path, display, diagnostics);
    }

    /// <summary>Validates plan text as if it were the file at <paramref name="path"/> (CSV paths resolve against its folder).</summary>
    public static PlanLoadResult LoadText(string yamlText, string path, string? displayPath = null)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        var display = Normalize(displayPath ?? path);
        return Analyze(yamlText, Encoding.UTF8.GetBytes(yamlText), path, display, new DiagnosticBag());
    }

    private static PlanLoadResult Analyze(string text, byte[] bytes, string path, string display, DiagnosticBag diagnostics)
    {
        // Loading the JSON schema is a fixed cost of about a hundred milliseconds (reflection, JIT): overlap it with parsing,
        // or skip it for a plan text this build has already found valid.
        var cacheKey = SchemaValidationCache.Key(bytes);
        var schemaReady = SchemaValidationCache.IsKnownValid(cacheKey) ? null : Task.Run(() => PlanSchema.Schema);
        var document = YamlTreeReader.Parse(text, display, diagnostics);
        if (document?.Root is null)
        {
            return Finish(null, diagnostics);
        }

        if (document.Root is not YamlTreeMapping root)
        {
            diagnostics.Add(DiagnosticCatalog.RootNotMapping, new SourceLocation(display, document.Root.Line, document.Root.Column));
            return Finish(null, diagnostics);
        }

        if (schemaReady is not null)
        {
            schemaReady.Wait();
            var before = diagnostics.Count;
            SchemaValidator.Validate(root, display, diagnostics);
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
            fullPath = Path.GetFullPath(path);
        }
        catch (ArgumentException)
        {
            fullPath = path;
        }

        var result = SemanticValidator.Analyze(root, display, fullPath, diagnostics);
        if (diagnostics.HasErrors)
        {
            return Finish(null, diagnostics);
        }

        var plan = result.Plan with
        {
            ContentHash = PlanContentHash.Of(bytes, result.CsvFiles.Select(csv => csv.Bytes)),
            InputFiles = [.. result.CsvFiles.Select(csv => csv.FullPath)],
        };
        return Finish(plan, diagnostics);
    }

    private static byte[] ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > YamlTreeReader.MaxFileBytes)
            {
                break;
            }
        }

        return buffer.ToArray();
    }

    private static string Normalize(string display) => display.Replace('\\', '/');

    private static PlanLoadResult Finish(PlanModel? plan, DiagnosticBag diagnostics) => new(plan, diagnostics.ToSortedList());
}

using NJsonSchema;

namespace MigrationEngine.Core.Validation;

/// <summary>The plan's JSON schema (schemas/migration-plan.v1.schema.json, embedded): the one source of truth for the plan's shape.</summary>
public static class PlanSchema
{
    public const string ResourceName = "MigrationEngine.Core.Validation.migration-plan.v1.schema.json";

    private static readonly Lazy<string> SchemaText = new(() =>
    {
        using var stream = typeof(PlanSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string Json => SchemaText.Value;

    /// <summary>The parsed schema, shared (NJsonSchema's schema objects are safe to validate with concurrently).</summary>
    internal static JsonSchema Schema => Parsed.Value;

    /// <summary>Parses the schema on the thread pool (the caller overlaps it with the YAML parse).</summary>
    internal static Task LoadInBackground() => Task.Run(() => _ = Parsed.Value);

    /// <summary>
    /// The parsed schema lives in a class of its own: a field of NJsonSchema's type here would load NJsonSchema and
    /// Newtonsoft.Json with <see cref="KnownApiVersions"/>, which every command reads, though only schema validation (not
    /// run for a plan text found valid before) needs them.
    /// </summary>
    private static class Parsed
    {
        public static readonly JsonSchema Value = JsonSchema.FromJsonAsync(SchemaText.Value).GetAwaiter().GetResult();
    }

    /// <summary>apiVersion values this build understands.</summary>
    public static IReadOnlyList<string> KnownApiVersions { get; } = ["migration-engine/v1"];
}

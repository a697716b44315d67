using System.Text;
using MigrationEngine.Core.Validation;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Validation;

[Trait("Category", "Unit")]
public sealed class SchemaValidationCacheTests
{
    [Fact]
    public void Key_is_the_exact_plan_bytes_and_this_build()
    {
        var plan = Encoding.UTF8.GetBytes("apiVersion: migration-engine/v1\n");
        var sameText = Encoding.UTF8.GetBytes("apiVersion: migration-engine/v1\n");
        var oneSpaceMore = Encoding.UTF8.GetBytes("apiVersion:  migration-engine/v1\n");

        Assert.Equal(SchemaValidationCache.Key(plan), SchemaValidationCache.Key(sameText));
        Assert.NotEqual(SchemaValidationCache.Key(plan), SchemaValidationCache.Key(oneSpaceMore));
        Assert.Matches("^[0-9a-f]{64}$", SchemaValidationCache.Key(plan));
    }

    [Fact]
    public void A_remembered_key_is_known_in_that_folder_only()
    {
        // Neither cache folder exists yet: remembering makes the first.
        using var temp = new TempDirectory("schema-cache");
        var folder = temp.Combine("cache");
        var other = temp.Combine("other");
        var key = SchemaValidationCache.Key(Encoding.UTF8.GetBytes("metadata: {}\n"));
        Assert.False(SchemaValidationCache.IsKnownValid(key, folder));

        SchemaValidationCache.RememberValid(key, folder);

        Assert.True(SchemaValidationCache.IsKnownValid(key, folder));
        Assert.False(SchemaValidationCache.IsKnownValid(key, other));
        Assert.False(SchemaValidationCache.IsKnownValid(key, null));
    }

    [Fact]
    public void A_plan_with_schema_errors_is_never_remembered_and_reports_them_every_time()
    {
        const string text = "apiVersion: migration-engine/v1\nkind: MigrationPlan\nmetadata:\n  name: broken\nspec:\n  sourcez: {}\n";

        var first = PlanPipeline.LoadText(text, "broken.yaml");
        var second = PlanPipeline.LoadText(text, "broken.yaml");

        Assert.Null(first.Plan);
        Assert.Contains(first.Diagnostics, d => d.IsError);
        Assert.Equal(first.Diagnostics.Select(d => d.ToString()), second.Diagnostics.Select(d => d.ToString()));
        Assert.False(SchemaValidationCache.IsKnownValid(SchemaValidationCache.Key(Encoding.UTF8.GetBytes(text))));
    }
}

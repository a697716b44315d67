using System.Diagnostics;
using System.Text;
using MigrationEngine.Core.Formatting;
using MigrationEngine.Core.Loading;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Loading;

/// <summary>Hostile input ends in a diagnostic, quickly, without an exception or a stack overflow.</summary>
[Trait("Category", "Unit")]
public class RobustnessTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    private static PlanLoadResult LoadBytes(byte[] bytes)
    {
        using var scratch = new TempDirectory("me-lang");
        var folder = scratch.Path;
        var path = Path.Combine(folder, "plan.yaml");
        File.WriteAllBytes(path, bytes);
        var stopwatch = Stopwatch.StartNew();
        var result = PlanPipeline.Load(path, "plan.yaml");
        Assert.True(stopwatch.Elapsed < Budget, $"took {stopwatch.Elapsed}");
        return result;
    }

    private static PlanLoadResult LoadTimed(string text)
    {
        var stopwatch = Stopwatch.StartNew();
        var result = PlanPipeline.LoadText(text, Path.Combine(Path.GetTempPath(), "plan.yaml"), "plan.yaml");
        Assert.True(stopwatch.Elapsed < Budget, $"took {stopwatch.Elapsed}");
        return result;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_bytes_give_diagnostics(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[4096 * seed];
        random.NextBytes(bytes);

        var result = LoadBytes(bytes);

        Assert.True(result.HasErrors);
        Assert.Null(result.Plan);
        Assert.All(result.Diagnostics, d => Assert.StartsWith("MIG00", d.Code, StringComparison.Ordinal));
    }

    [Fact]
    public void Random_printable_text_gives_diagnostics_or_schema_errors()
    {
        var random = new Random(7);
        const string alphabet = "abc:- \n[]{}'\"#&*!|>%@`,?\t";
        for (var round = 0; round < 50; round++)
        {
            var text = new string(Enumerable.Range(0, 400).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

            var result = LoadTimed(text);
            var formatted = PlanFormatter.Format(text, "plan.yaml");

            Assert.True(result.HasErrors);
            Assert.True(formatted.Formatted is not null || formatted.Diagnostics.Any(d => d.IsError));
        }
    }

    [Fact]
    public void A_20_megabyte_file_is_refused_quickly()
    {
        var line = "# padding padding padding padding padding padding padding padding padding padding\n"u8.ToArray();
        var bytes = new byte[20 * 1024 * 1024];
        for (var offset = 0; offset < bytes.Length; offset += line.Length)
        {
            Array.Copy(line, 0, bytes, offset, Math.Min(line.Length, bytes.Length - offset));
        }

        var result = LoadBytes(bytes);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("MIG0008", diagnostic.Code);
    }

    [Fact]
    public void A_20_megabyte_string_is_refused_quickly()
    {
        var text = new string('a', 20 * 1024 * 1024);

        var result = LoadTimed(text);

        Assert.Equal("MIG0008", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Ten_thousand_nested_flow_sequences_stop_at_the_depth_limit()
    {
        var text = new string('[', 10_000) + new string(']', 10_000);

        var result = LoadTimed(text);
        var formatted = PlanFormatter.Format(text, "plan.yaml");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("MIG0009", diagnostic.Code);
        Assert.Equal(1, diagnostic.Line);
        Assert.Null(formatted.Formatted);
        Assert.Equal("MIG0009", Assert.Single(formatted.Diagnostics).Code);
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(3_000)]
    public void Deeply_nested_block_mappings_give_one_diagnostic(int depth)
    {
        // 10,000 levels of two-space indentation are 100 MB of text: refused by size; 3,000 levels fit and hit the depth limit.
        var builder = new StringBuilder();
        for (var level = 0; level < depth; level++)
        {
            builder.Append(' ', level * 2).Append("a:\n");
        }

        var result = LoadTimed(builder.ToString());

        var diagnostic = Assert.Single(result.Diagnostics);
        if (builder.Length > YamlTreeReader.MaxFileBytes)
        {
            Assert.Equal("MIG0008", diagnostic.Code);
        }
        else
        {
            Assert.Equal("MIG0009", diagnostic.Code);
            Assert.Equal(YamlTreeReader.MaxDepth + 1, diagnostic.Line);
        }
    }

    [Fact]
    public void Ten_thousand_nested_block_sequences_stop_at_the_depth_limit()
    {
        // "- - - - ... x" nests a sequence per dash on a single line.
        var text = string.Concat(Enumerable.Repeat("- ", 10_000)) + "x\n";

        var result = LoadTimed(text);

        Assert.Equal("MIG0009", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Ten_thousand_unclosed_brackets_give_a_diagnostic()
    {
        var result = LoadTimed(new string('[', 10_000));

        Assert.True(result.HasErrors);
        Assert.Contains(result.Diagnostics, d => d.Code is "MIG0009" or "MIG0001");
    }

    [Fact]
    public void Billion_laughs_is_rejected_at_the_first_alias()
    {
        var builder = new StringBuilder("lol0: &l0 lol\n");
        for (var level = 1; level <= 30; level++)
        {
            builder.Append("lol").Append(level).Append(": &l").Append(level).Append(" [");
            builder.AppendJoin(", ", Enumerable.Repeat($"*l{level - 1}", 10));
            builder.Append("]\n");
        }

        var result = LoadTimed(builder.ToString());
        var formatted = PlanFormatter.Format(builder.ToString(), "plan.yaml");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("MIG0004", diagnostic.Code);
        Assert.Equal(2, diagnostic.Line);
        Assert.Null(formatted.Formatted);
    }

    [Fact]
    public void An_endless_device_is_refused_quickly()
    {
        if (!File.Exists("/dev/zero"))
        {
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        var result = PlanPipeline.Load("/dev/zero", "/dev/zero");

        Assert.True(stopwatch.Elapsed < Budget);
        Assert.Equal("MIG0008", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void A_missing_file_is_a_diagnostic()
    {
        var result = PlanPipeline.Load(Path.Combine(Path.GetTempPath(), "no-such-plan-" + Guid.NewGuid() + ".yaml"), "plans/missing.yaml");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("MIG0011", diagnostic.Code);
        Assert.Equal("plans/missing.yaml", diagnostic.File);
        Assert.Equal("the plan file cannot be read, so it was not checked; the file system reported: no file exists at this path", diagnostic.Message);
        Assert.NotNull(diagnostic.Hint);
    }

    [Fact]
    public void A_directory_instead_of_a_file_is_a_diagnostic()
    {
        var result = PlanPipeline.Load(Path.GetTempPath(), "plans/");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("MIG0011", diagnostic.Code);
        Assert.EndsWith("the file system reported: the path names a folder, not a file", diagnostic.Message, StringComparison.Ordinal);
    }
}

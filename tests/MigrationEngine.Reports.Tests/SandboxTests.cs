using System.Diagnostics;
using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Reports.Tests;

/// <summary>Untrusted templates: no file or .NET access, bounded loops, recursion and time; every failure a located diagnostic.</summary>
[Trait("Category", "Unit")]
public sealed class SandboxTests
{
    private static async Task<(ReportRenderResult Result, TimeSpan Elapsed)> RenderCustomAsync(ReportTestBed bed, string templateText, ReportRenderOptions? options = null)
    {
        var path = bed.Write("templates/sandbox.scriban", templateText);
        var clock = Stopwatch.StartNew();
        var result = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, path, null, options ?? ReportTestBed.Options, CancellationToken.None);
        return (result, clock.Elapsed);
    }

    private static Diagnostic SingleError(ReportRenderResult result)
    {
        Assert.Null(result.StandardOutput);
        Assert.Empty(result.FilesWritten);
        return Assert.Single(result.Diagnostics, d => d.IsError);
    }

    [Theory]
    [InlineData("../../etc/passwd", "outside the plan's folder")]
    [InlineData("../plan-escape.scriban", "outside the plan's folder")]
    [InlineData("/etc/passwd", "absolute paths are not allowed")]
    [InlineData("partials/../../../etc/hostname", "outside the plan's folder")]
    public async Task Includes_outside_the_plan_folder_are_refused_with_their_location(string include, string reason)
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);

        var (result, _) = await RenderCustomAsync(bed, $"first line\n  {{{{ include '{include}' }}}}\n");

        var error = SingleError(result);
        Assert.Equal("MIG0904", error.Code);
        Assert.EndsWith("sandbox.scriban", error.File, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
        Assert.Equal(6, error.Column);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symbolic_link_inside_the_plan_folder_cannot_lead_out_of_it()
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);
        Directory.CreateDirectory(Path.Combine(bed.Folder, "partials"));
        File.CreateSymbolicLink(Path.Combine(bed.Folder, "partials", "passwd.scriban"), "/etc/passwd");

        var (result, _) = await RenderCustomAsync(bed, "{{ include 'partials/passwd.scriban' }}");

        var error = SingleError(result);
        Assert.Equal("MIG0904", error.Code);
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ file.read '/etc/passwd' }}", "`file`")]
    [InlineData("{{ System.IO.File.ReadAllText '/etc/passwd' }}", "`System`")]
    [InlineData("{{ io.read_all_text '/etc/passwd' }}", "`io`")]
    public async Task There_is_no_function_to_read_files(string template, string missing)
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);

        var (result, _) = await RenderCustomAsync(bed, "ok\n" + template);

        var error = SingleError(result);
        Assert.Equal("MIG0901", error.Code);
        Assert.Equal(2, error.Line);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_model_exposes_data_only_never_dotnet_members()
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);

        var (result, _) = await RenderCustomAsync(bed, "[{{ plan.name.Length }}][{{ plan.GetType }}][{{ mailboxes.Count }}][{{ plan.name | object.typeof }}][{{ mailboxes.size }}]");

        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        Assert.Equal("[][][][string][4]", result.StandardOutput);
    }

    [Theory]
    [InlineData("{{ while true }}x{{ end }}")]
    [InlineData("{{ for i in 1..1000000000 }}{{ end }}")]
    [InlineData("{{ for i in 1..100000 }}{{ for j in 1..100000 }}{{ end }}{{ end }}")]
    public async Task Endless_loops_stop_at_the_loop_limit_quickly(string template)
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);

        var (result, elapsed) = await RenderCustomAsync(bed, "\n" + template);

        var error = SingleError(result);
        Assert.Equal("MIG0905", error.Code);
        Assert.Equal(2, error.Line);
        Assert.True(error.Column > 0);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
    }

    [Fact]
    public async Task Deep_recursion_stops_at_the_recursion_limit()
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);

        var (result, elapsed) = await RenderCustomAsync(bed, "{{ func down(n)\n  ret down(n + 1)\nend }}\n{{ down 1 }}");

        var error = SingleError(result);
        Assert.Equal("MIG0905", error.Code);
        Assert.True(error.Line > 0 && error.Column > 0);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
    }

    [Fact]
    public async Task Huge_output_stops_at_the_output_limit()
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);
        var options = ReportTestBed.Options with { Limits = new TemplateLimits { OutputLimit = 100_000 } };

        var (result, _) = await RenderCustomAsync(bed, "{{ for i in 1..50000 }}0123456789{{ end }}", options);

        Assert.Equal("MIG0905", SingleError(result).Code);
    }

    [Fact]
    public async Task A_slow_template_stops_at_the_time_limit()
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);
        var options = ReportTestBed.Options with { Limits = new TemplateLimits { LoopLimit = 0, Timeout = TimeSpan.FromMilliseconds(300) } };

        var (result, elapsed) = await RenderCustomAsync(bed, "{{ while true }}{{ end }}", options);

        var error = SingleError(result);
        Assert.Equal("MIG0905", error.Code);
        Assert.Contains("longer than", error.Message, StringComparison.Ordinal);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
    }

    [Fact]
    public async Task A_syntax_error_names_file_line_and_column()
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);

        var (result, _) = await RenderCustomAsync(bed, "# {{ plan.name }}\n\n{{ for mb in mailboxes }}\n{{ mb.mailbox }\n");

        var error = result.Diagnostics.First(d => d.IsError);
        Assert.Equal("MIG0900", error.Code);
        Assert.EndsWith("templates/sandbox.scriban", error.File, StringComparison.Ordinal);
        Assert.Equal(4, error.Line);
        Assert.True(error.Column > 1);
        Assert.Null(result.StandardOutput);
    }

    [Fact]
    public async Task A_runtime_error_names_file_line_and_column()
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);

        var (result, _) = await RenderCustomAsync(bed, "line one\nline two {{ no_such_thing }}\n");

        var error = SingleError(result);
        Assert.Equal("MIG0901", error.Code);
        Assert.Equal(2, error.Line);
        Assert.Equal(13, error.Column);
        Assert.StartsWith(error.File + "(2,13): error MIG0901: the template failed while rendering:", error.ToMsBuildString(), StringComparison.Ordinal);
    }
}

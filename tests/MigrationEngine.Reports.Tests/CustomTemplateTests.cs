namespace MigrationEngine.Reports.Tests;

/// <summary>spec.reports: templates and includes from the plan's folder, output paths that are templates.</summary>
[Trait("Category", "Unit")]
public sealed class CustomTemplateTests
{
    private const string Reports = """
          reports:
            - template: reports/wave.md.scriban
              output: "published/{{ plan.name }}/run-{{ run.id }}.md"
            - template: builtin:mailboxes.csv
              output: published/mailboxes.csv

        """;

    [Fact]
    public async Task Plan_reports_render_with_includes_into_templated_output_paths()
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes, Reports);
        await bed.SeedStandardRunAsync();
        bed.Write("reports/wave.md.scriban", "{{ include 'reports/partials/header.scriban' }}\n{{ for mb in mailboxes }}- {{ mb.mailbox }}: {{ mb.status }}\n{{ end }}");
        bed.Write("reports/partials/header.scriban", "# Wave {{ plan.labels.wave }} ({{ plan.name }}), {{ totals.done }}/{{ totals.mailboxes }} done");

        var result = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, null, null, ReportTestBed.Options, CancellationToken.None);

        Assert.Empty(result.Diagnostics);
        Assert.Null(result.StandardOutput);
        var markdown = Path.Combine(bed.Folder, "published", "wave-1", "run-1.md");
        var csv = Path.Combine(bed.Folder, "published", "mailboxes.csv");
        Assert.Equal([markdown, csv], result.FilesWritten);
        Assert.Equal(
            "# Wave 1 (wave-1), 1/4 done\n- ann@fin.example: done\n- bob@fin.example: failed\n- cy@fin.example: in progress\n- dee@fin.example: pending\n",
            await File.ReadAllTextAsync(markdown));
        Assert.StartsWith("migration,mailbox,", await File.ReadAllTextAsync(csv), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(bed.Folder, "published"), "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_broken_report_does_not_stop_the_others()
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes, Reports);
        await bed.SeedStandardRunAsync();
        bed.Write("reports/wave.md.scriban", "{{ include 'reports/partials/missing.scriban' }}");

        var result = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, null, null, ReportTestBed.Options, CancellationToken.None);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("MIG0901", error.Code);
        Assert.Equal(1, error.Line);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal([Path.Combine(bed.Folder, "published", "mailboxes.csv")], result.FilesWritten);
    }

    [Fact]
    public async Task An_include_that_does_not_parse_is_reported_in_the_included_file()
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes, Reports);
        bed.Write("reports/wave.md.scriban", "top\n{{ include 'reports/partials/bad.scriban' }}");
        bed.Write("reports/partials/bad.scriban", "ok\nok\n{{ if }}");

        var result = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, null, null, ReportTestBed.Options, CancellationToken.None);

        var error = result.Diagnostics.First(d => d.IsError);
        Assert.Equal("MIG0900", error.Code);
        Assert.EndsWith("reports/partials/bad.scriban", error.File, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
    }

    [Theory]
    [InlineData("../outside.scriban", "MIG0904")]
    [InlineData("/etc/passwd", "MIG0904")]
    [InlineData("reports/none.scriban", "MIG0902")]
    [InlineData("builtin:nope.md", "MIG0903")]
    public async Task Plan_templates_must_exist_inside_the_plan_folder(string template, string code)
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes, $"""
              reports:
                - template: "{template}"
                  output: out.md

            """);

        var result = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, null, null, ReportTestBed.Options, CancellationToken.None);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(code, error.Code);
        Assert.EndsWith("plan.yaml", error.File, StringComparison.Ordinal);
        Assert.True(error.Line > 0);
        Assert.Empty(result.FilesWritten);
    }

    [Fact]
    public async Task Out_override_writes_one_report_where_asked()
    {
        await using var bed = await ReportTestBed.CreateAsync(GoldenTests.Mailboxes);
        await bed.SeedStandardRunAsync();
        var target = Path.Combine(bed.Folder, "elsewhere", "deep", "summary.md");

        var result = await ReportRenderer.RenderAsync(bed.Plan, bed.Graph, bed.State, null, null, target, ReportTestBed.Options, CancellationToken.None);

        Assert.Equal([target], result.FilesWritten);
        Assert.Null(result.StandardOutput);
        Assert.StartsWith("## Migration report: wave-1", await File.ReadAllTextAsync(target), StringComparison.Ordinal);
    }
}

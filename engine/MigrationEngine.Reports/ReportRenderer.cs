using System.Text;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Reports;

/// <summary>
/// Renders the plan's reports (<c>spec.reports</c>) or one given template from state and, after an apply, the run
/// just finished. Template problems become diagnostics; nothing here throws for them, so a report never aborts a migration.
/// </summary>
public static class ReportRenderer
{
    public const string BuiltinPrefix = "builtin:";

    /// <summary>What <c>migrate report</c> prints when the plan names no report.</summary>
    public const string DefaultTemplate = "builtin:summary.md";

    public static IReadOnlyList<string> BuiltinTemplates { get; } = ["builtin:summary.md", "builtin:report.html", "builtin:mailboxes.csv", "builtin:run.json"];

    public static Task<ReportRenderResult> RenderAsync(PlanModel plan, ExecutionGraph graph, IStateStore state, RunSummary? lastRun, string? templateOverride, string? outOverride, CancellationToken ct) =>
        RenderAsync(plan, graph, state, lastRun, templateOverride, outOverride, ReportRenderOptions.Default, ct);

    /// <summary>
    /// Renders every <c>spec.reports</c> entry, or only <paramref name="templateOverride"/> when given.
    /// Without reports and override: <see cref="DefaultTemplate"/>. Output goes to <paramref name="outOverride"/> when given
    /// (relative to the current folder), to the entry's <c>output</c> (relative to the plan's folder), or else to
    /// <see cref="ReportRenderResult.StandardOutput"/>. An override template that is a file is read relative to the current folder.
    /// </summary>
    public static async Task<ReportRenderResult> RenderAsync(
        PlanModel plan, ExecutionGraph graph, IStateStore state, RunSummary? lastRun, string? templateOverride, string? outOverride, ReportRenderOptions options, CancellationToken ct)
    {
        var diagnostics = new List<Diagnostic>();
        var written = new List<string>();
        string? standardOutput = null;

        ReportModel model;
        try
        {
            model = await ReportModel.BuildAsync(plan, graph, state, lastRun, options.Clock, ct);
        }
        catch (StateStoreException ex)
        {
            return new ReportRenderResult([], [Diagnose.ReportStateUnavailable(SourceLocation.None(state.Location), ex.Message, ex.Hint)]);
        }

        var jobs = new List<Job>();
        var planLocation = SourceLocation.None(TemplateSandbox.DisplayPath(plan.PlanFile));
        if (templateOverride is not null || plan.Reports.Count == 0)
        {
            jobs.Add(new Job(templateOverride ?? DefaultTemplate, outOverride, planLocation, FromCommandLine: true));
        }
        else
        {
            jobs.AddRange(plan.Reports.Select(r => new Job(r.Template, outOverride ?? r.Output, r.Location, FromCommandLine: outOverride is not null)));
        }

        if (model.NeverApplied)
        {
            diagnostics.Add(Diagnose.ReportPlanNeverApplied(planLocation, plan.Name, hint: "run 'migrate apply' first"));
        }

        foreach (var job in jobs)
        {
            ct.ThrowIfCancellationRequested();
            var template = LoadTemplate(plan, job, templateOverride is not null, diagnostics);
            if (template is null)
            {
                continue;
            }

            var (text, renderDiagnostics) = await TemplateSandbox.RenderAsync(template, model.ToScriptObject(), plan.PlanDirectory, options.Limits, model.MailboxCount, ct);
            diagnostics.AddRange(renderDiagnostics);
            if (text is null)
            {
                continue;
            }

            if (job.Output is null)
            {
                standardOutput = standardOutput is null ? text : standardOutput + text;
                continue;
            }

            var path = await ResolveOutputAsync(plan, job, model, options, diagnostics, ct);
            if (path is null)
            {
                continue;
            }

            try
            {
                PrivateFiles.CreateFolder(Path.GetDirectoryName(path)!);
                // Written beside and renamed: a reader (a CI job, a web server) never sees half a report. 0600: reports name mailboxes.
                var temporary = path + ".tmp-" + Environment.ProcessId;
                await using (var stream = new FileStream(temporary, PrivateFiles.CreateOptions()))
                {
                    await stream.WriteAsync(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text), ct);
                }

                File.Move(temporary, path, overwrite: true);
                written.Add(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(Diagnose.ReportWriteFailed(job.Location, TemplateSandbox.DisplayPath(path), ex.Message,
                    hint: "check that the folder is writable"));
            }
        }

        return new ReportRenderResult(written, diagnostics) { StandardOutput = standardOutput };
    }

    private sealed record Job(string Template, string? Output, SourceLocation Location, bool FromCommandLine);

    private static TemplateText? LoadTemplate(PlanModel plan, Job job, bool templateFromCommandLine, List<Diagnostic> diagnostics)
    {
        if (job.Template.StartsWith(BuiltinPrefix, StringComparison.Ordinal))
        {
            var text = ReadBuiltin(job.Template);
            if (text is null)
            {
                diagnostics.Add(Diagnose.UnknownBuiltinTemplate(job.Location, job.Template, string.Join(", ", BuiltinTemplates)));
            }

            return text is null ? null : new TemplateText(job.Template, job.Template, text);
        }

        string fullPath;
        if (templateFromCommandLine)
        {
            // Typed by the operator: any file they can read, relative to where they are.
            fullPath = Path.GetFullPath(job.Template);
        }
        else
        {
            var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(plan.PlanDirectory)) + Path.DirectorySeparatorChar;
            var reason = PlanFolderPaths.Check(root, job.Template, out fullPath);
            if (reason is not null)
            {
                diagnostics.Add(Diagnose.TemplateAccessDenied(job.Location, TemplateFileRole.Template, job.Template, reason,
                    hint: "put the template in the plan's folder and refer to it by relative path"));
                return null;
            }
        }

        var display = TemplateSandbox.DisplayPath(fullPath);
        try
        {
            if (!Path.Exists(fullPath))
            {
                diagnostics.Add(Diagnose.TemplateNotFound(job.Location, display,
                    hint: "check the template path (relative to the plan's folder) or use a builtin: template"));
                return null;
            }

            return new TemplateText(display, fullPath, RegularFile.ReadAllText(fullPath, TemplateLimitsDefaults.MaxTemplateBytes));
        }
        catch (UnusableFileException ex)
        {
            diagnostics.Add(Diagnose.TemplateUnreadable(job.Location, display, ex.Message));
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnose.TemplateUnreadable(job.Location, display, ex.Message));
            return null;
        }
    }

    private static readonly TemplateLimits TemplateLimitsDefaults = new();

    internal static string? ReadBuiltin(string name)
    {
        var resource = "MigrationEngine.Reports.Templates." + name[BuiltinPrefix.Length..] + ".scriban";
        using var stream = typeof(ReportRenderer).Assembly.GetManifestResourceStream(resource);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The output path is a template too (<c>reports/{{ plan.name }}/{{ run.id }}.md</c>), rendered in the same sandbox.</summary>
    private static async Task<string?> ResolveOutputAsync(PlanModel plan, Job job, ReportModel model, ReportRenderOptions options, List<Diagnostic> diagnostics, CancellationToken ct)
    {
        var rendered = job.Output!;
        if (rendered.Contains("{{", StringComparison.Ordinal))
        {
            var template = new TemplateText($"{job.Location} (output path)", "output path", job.Output!);
            var (text, outputDiagnostics) = await TemplateSandbox.RenderAsync(template, model.ToScriptObject(), plan.PlanDirectory, options.Limits with { OutputLimit = 4096 }, 0, ct);
            if (text is null)
            {
                // The span is inside the output string, not the plan file: report it at the plan entry.
                diagnostics.AddRange(outputDiagnostics.Select(d => d with { File = job.Location.File, Line = job.Location.Line, Column = job.Location.Column, Message = "output path: " + d.Message }));
                return null;
            }

            rendered = text.Trim();
        }

        if (rendered.Length == 0 || rendered.AsSpan().IndexOfAny("\0\r\n") >= 0)
        {
            diagnostics.Add(Diagnose.ReportOutputInvalid(job.Location, job.Output!, "it renders to an empty or multi-line path",
                hint: "the output path must render to one non-empty line"));
            return null;
        }

        try
        {
            var path = job.FromCommandLine ? Path.GetFullPath(rendered) : Path.GetFullPath(rendered, plan.PlanDirectory);
            if (!job.FromCommandLine && plan.Paths.Check(rendered, out _) is { } outside)
            {
                // A rendered output path may hold values from the state (mailbox addresses): it must stay where the plan may write.
                diagnostics.Add(Diagnose.ReportOutputInvalid(job.Location, Quote.Cell(rendered), outside,
                    hint: "write reports under the plan's folder, or list the folder in spec.options.allowedRoots"));
                return null;
            }

            if (Directory.Exists(path))
            {
                diagnostics.Add(Diagnose.ReportOutputInvalid(job.Location, rendered, "it is a folder", hint: "name a file, not a folder"));
                return null;
            }

            return path;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            diagnostics.Add(Diagnose.ReportOutputInvalid(job.Location, rendered, ex.Message));
            return null;
        }
    }
}

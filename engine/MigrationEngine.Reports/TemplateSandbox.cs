using System.Collections;
using System.Globalization;
using System.Text;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace MigrationEngine.Reports;

/// <summary>Limits of one template render; the defaults suit plans of any size.</summary>
public sealed record TemplateLimits
{
    /// <summary>Iterations across each loop tree; raised automatically to cover the model's mailboxes.</summary>
    public int LoopLimit { get; init; } = 100_000;

    public int RecursiveLimit { get; init; } = 50;

    /// <summary>Longest string one conversion may produce.</summary>
    public int LimitToString { get; init; } = 2_000_000;

    /// <summary>Longest output a template may produce (characters).</summary>
    public int OutputLimit { get; init; } = 64 * 1024 * 1024;

    /// <summary>Largest template or include file read (bytes).</summary>
    public int MaxTemplateBytes { get; init; } = 1024 * 1024;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>A template's text and how diagnostics name it.</summary>
internal sealed record TemplateText(string DisplayName, string SourcePath, string Text);

/// <summary>
/// Renders untrusted templates: the model is plain data (ScriptObject/ScriptArray/primitives), no .NET member is
/// reachable, includes load only from the plan's folder, loops, recursion, output and time are bounded, and every
/// failure comes back as a diagnostic naming the template file, line and column.
/// </summary>
internal static class TemplateSandbox
{
    public static async Task<(string? Text, IReadOnlyList<Diagnostic> Diagnostics)> RenderAsync(
        TemplateText template, ScriptObject model, string planDirectory, TemplateLimits limits, int itemCount, CancellationToken cancellationToken)
    {
        var parsed = Template.Parse(template.Text, template.SourcePath, ParserOptions());
        if (parsed.HasErrors)
        {
            return (null, parsed.Messages.Where(m => m.Type == ParserMessageType.Error)
                .Select(m => Diagnose.TemplateSyntaxError(LocationOf(m.Span, template), m.Message,
                    hint: "see the Scriban language reference linked from docs/reports.md"))
                .ToList());
        }

        var loader = new PlanFolderTemplateLoader(planDirectory, limits.MaxTemplateBytes);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.Timeout);
        AddHelpers(model);
        var context = new TemplateContext
        {
            TemplateLoader = loader,
            TemplateLoaderParserOptions = ParserOptions(),
            // Builtin templates loop over every mailbox a few times: the limit grows with the plan, never below the floor.
            LoopLimit = limits.LoopLimit <= 0 ? 0 : (int)Math.Min(int.MaxValue, Math.Max(limits.LoopLimit, (itemCount + 100L) * 8)),
            LoopLimitQueryable = limits.LoopLimit,
            RecursiveLimit = limits.RecursiveLimit,
            LimitToString = limits.LimitToString,
            OnStringLimit = ScriptLimitBehavior.Throw,
            OutputLimit = limits.OutputLimit,
            OnOutputLimit = ScriptLimitBehavior.Throw,
            ObjectRecursionLimit = 20,
            StrictVariables = true,
            MemberFilter = _ => false,
            RegexTimeOut = TimeSpan.FromSeconds(2),
            CancellationToken = timeout.Token,
            NewLine = "\n",
        };
        context.PushGlobal(model);
        context.PushCulture(CultureInfo.InvariantCulture);

        try
        {
            var text = await parsed.RenderAsync(context);
            return (text, []);
        }
        catch (ScriptAbortException) when (!cancellationToken.IsCancellationRequested)
        {
            var where = context.CurrentNode is { } node ? LocationOf(node.Span, template) : SourceLocation.None(template.DisplayName);
            return (null, [Diagnose.TemplateLimitExceeded(where, $"it ran longer than {limits.Timeout.TotalSeconds:0} s",
                hint: "simplify the template")]);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, [Diagnose.TemplateLimitExceeded(SourceLocation.None(template.DisplayName), $"it ran longer than {limits.Timeout.TotalSeconds:0} s",
                hint: "simplify the template")]);
        }
        catch (ScriptParserRuntimeException parse)
        {
            // An included file that does not parse.
            return (null, parse.ParserMessages.Where(m => m.Type == ParserMessageType.Error)
                .Select(m => Diagnose.TemplateSyntaxError(LocationOf(m.Span, template), m.Message,
                    hint: "see the Scriban language reference linked from docs/reports.md"))
                .DefaultIfEmpty(Diagnose.TemplateSyntaxError(LocationOf(parse.Span, template), parse.OriginalMessage))
                .ToList());
        }
        catch (TemplateAccessException denied)
        {
            return (null, [Diagnose.TemplateAccessDenied(LocationOf(denied.Span, template), TemplateFileRole.Include, denied.Include, denied.Reason,
                hint: "templates may include only files inside the plan's folder, by relative path")]);
        }
        catch (ScriptRuntimeException runtime)
        {
            var message = runtime.OriginalMessage;
            var limit = IsLimit(message);
            var at = LocationOf(runtime.Span, template);
            return (null, [limit
                ? Diagnose.TemplateLimitExceeded(at, message, hint: "reports must stay within the loop, recursion and size limits in docs/reports.md")
                : Diagnose.TemplateRuntimeError(at, message)]);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException
                                       or InvalidCastException or NotSupportedException or IndexOutOfRangeException or InsufficientExecutionStackException
                                       or System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            // The template engine's own failures on odd input: a report problem must never stop a migration.
            var where = context.CurrentNode is { } node ? LocationOf(node.Span, template) : SourceLocation.None(template.DisplayName);
            return (null, [Diagnose.TemplateRuntimeError(where, ex.Message)]);
        }
    }

    private static bool IsLimit(string message) =>
        message.Contains("limit", StringComparison.OrdinalIgnoreCase) || message.Contains("recursive", StringComparison.OrdinalIgnoreCase);

    private static ParserOptions ParserOptions() => new() { ExpressionDepthLimit = 100 };

    internal static SourceLocation LocationOf(SourceSpan span, TemplateText template)
    {
        var file = string.IsNullOrEmpty(span.FileName) || span.FileName == template.SourcePath ? template.DisplayName : DisplayPath(span.FileName);
        return new SourceLocation(file, span.Start.Line + 1, span.Start.Column + 1);
    }

    /// <summary>Names a file as the operator would type it: relative to the current folder when below it.</summary>
    internal static string DisplayPath(string fullPath)
    {
        if (!Path.IsPathFullyQualified(fullPath))
        {
            return fullPath;
        }

        var relative = Path.GetRelativePath(Environment.CurrentDirectory, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathFullyQualified(relative) ? fullPath : relative.Replace('\\', '/');
    }

    // ----- helper functions available to templates -----

    private static void AddHelpers(ScriptObject model)
    {
        model.Import("format_bytes", new Func<object?, string>(value => Executor.FormatSize(ToLong(value))));
        model.Import("format_number", new Func<object?, string>(value => ToLong(value).ToString("#,0", CultureInfo.InvariantCulture)));
        model.Import("format_duration", new Func<object?, string>(FormatDuration));
        model.Import("percent", new Func<object?, object?, double>((part, whole) =>
        {
            var total = ToDouble(whole);
            return total <= 0 ? 0 : Math.Round(ToDouble(part) * 100.0 / total, 1);
        }));
        model.Import("csv", new Func<object?, string>(CsvField));
        model.Import("csv_row", new Func<object?, string>(CsvRow));
        model.Import("md", new Func<object?, string>(MarkdownCell));
        model.Import("json", new Func<object?, string>(value => ReportJson.Serialize(value, indented: true)));
    }

    private static long ToLong(object? value) => value switch
    {
        null => 0,
        string text => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0,
        IConvertible convertible => Convert.ToInt64(convertible, CultureInfo.InvariantCulture),
        _ => 0,
    };

    private static double ToDouble(object? value) => value switch
    {
        null => 0,
        string text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0,
        IConvertible convertible => Convert.ToDouble(convertible, CultureInfo.InvariantCulture),
        _ => 0,
    };

    internal static string FormatDuration(object? value)
    {
        if (value is null)
        {
            return "";
        }

        var seconds = ToDouble(value);
        if (seconds < 60)
        {
            return seconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
        }

        var span = TimeSpan.FromSeconds(Math.Round(seconds));
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours}h {span.Minutes:00}m {span.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds:00}s");
    }

    /// <summary>RFC 4180: a field with a comma, quote, CR or LF is quoted, quotes doubled.</summary>
    internal static string CsvField(object? value)
    {
        var text = Text(value);
        // A text cell starting with = + - @ (or a tab or CR) is a formula to a spreadsheet (OWASP "CSV injection"):
        // a leading apostrophe makes it text. Numbers are written as they are.
        if (value is string && text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static string CsvRow(object? values)
    {
        var fields = values is IEnumerable list and not string ? list.Cast<object?>().Select(CsvField) : [CsvField(values)];
        return string.Join(',', fields) + "\r\n";
    }

    /// <summary>Text safe inside a Markdown table cell: one line, pipes escaped, HTML-like text neutralised.</summary>
    internal static string MarkdownCell(object? value)
    {
        var builder = new StringBuilder();
        foreach (var c in Text(value))
        {
            switch (c)
            {
                case '|': builder.Append("\\|"); break;
                case '\r': break;
                case '\n': builder.Append(' '); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '`': builder.Append("\\`"); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString().Trim();
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>A template-side refusal (an include outside the plan's folder); reported with its own code.</summary>
internal sealed class TemplateAccessException(SourceSpan span, string include, string reason)
    : ScriptRuntimeException(span, $"include '{include}' is not allowed: {reason}")
{
    public string Include { get; } = include;

    public string Reason { get; } = reason;
}

/// <summary>
/// Loads includes from the plan's folder only: relative paths, no escaping with <c>..</c> or symbolic links,
/// no absolute paths, files of bounded size.
/// </summary>
internal sealed class PlanFolderTemplateLoader(string planDirectory, int maxBytes) : ITemplateLoader
{
    private readonly string _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(planDirectory)) + Path.DirectorySeparatorChar;

    public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
    {
        var reason = PlanFolderPaths.Check(_root, templateName, out var fullPath);
        if (reason is not null)
        {
            throw new TemplateAccessException(callerSpan, templateName, reason);
        }

        if (!File.Exists(fullPath))
        {
            throw new ScriptRuntimeException(callerSpan, $"include '{templateName}': {TemplateSandbox.DisplayPath(fullPath)} does not exist");
        }

        return fullPath;
    }

    public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath)
    {
        try
        {
            // A FIFO or a device would block or never end: only regular files of bounded size.
            return RegularFile.ReadAllText(templatePath, maxBytes);
        }
        catch (UnusableFileException ex)
        {
            throw new ScriptRuntimeException(callerSpan, $"include {TemplateSandbox.DisplayPath(templatePath)} cannot be used: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScriptRuntimeException(callerSpan, $"cannot read include {TemplateSandbox.DisplayPath(templatePath)}: {ex.Message}");
        }
    }

    public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        ValueTask.FromResult<string?>(Load(context, callerSpan, templatePath));
}

/// <summary>The rule for template and include paths written in a plan: relative, and inside the plan's folder.</summary>
internal static class PlanFolderPaths
{
    /// <summary>Null when <paramref name="relativePath"/> is allowed; otherwise why not.</summary>
    public static string? Check(string rootWithSeparator, string relativePath, out string fullPath)
    {
        fullPath = "";
        if (string.IsNullOrWhiteSpace(relativePath) || relativePath.Contains('\0', StringComparison.Ordinal))
        {
            return "the path is empty";
        }

        if (Path.IsPathRooted(relativePath) || relativePath.StartsWith('~') || relativePath.Contains(':', StringComparison.Ordinal))
        {
            return "absolute paths are not allowed; write a path relative to the plan's folder";
        }

        // The rest (.. and symbolic links that leave the folder) is the plan's one path rule.
        return PlanPaths.PlanFolderOnly(rootWithSeparator).Check(relativePath, out fullPath);
    }
}

namespace MigrationEngine.Core.Diagnostics;

public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor TemplateSyntaxError = new("MIG0900", DiagnosticSeverity.Error, "Report template syntax error",
        "template syntax error: {0}");

    public static readonly DiagnosticDescriptor TemplateRuntimeError = new("MIG0901", DiagnosticSeverity.Error, "Report template failed",
        "the template failed while rendering: {0}");

    public static readonly DiagnosticDescriptor TemplateNotFound = new("MIG0902", DiagnosticSeverity.Error, "Report template not found",
        "report template {0} does not exist");

    public static readonly DiagnosticDescriptor UnknownBuiltinTemplate = new("MIG0903", DiagnosticSeverity.Error, "Unknown built-in template",
        "'{0}' is not a built-in template; the built-in templates are {1}");

    public static readonly DiagnosticDescriptor TemplateAccessDenied = new("MIG0904", DiagnosticSeverity.Error, "Template file access not allowed",
        "{0} '{1}' is not allowed: {2}");

    public static readonly DiagnosticDescriptor TemplateLimitExceeded = new("MIG0905", DiagnosticSeverity.Error, "Report template exceeded a limit",
        "template stopped: {0}");

    public static readonly DiagnosticDescriptor ReportOutputInvalid = new("MIG0906", DiagnosticSeverity.Error, "Report output path is not usable",
        "report output path '{0}' is not usable: {1}");

    public static readonly DiagnosticDescriptor ReportWriteFailed = new("MIG0907", DiagnosticSeverity.Error, "Report cannot be written",
        "cannot write report {0}: {1}");

    public static readonly DiagnosticDescriptor TemplateUnreadable = new("MIG0908", DiagnosticSeverity.Error, "Report template cannot be read",
        "cannot read template {0}: {1}");

    public static readonly DiagnosticDescriptor ReportStateUnavailable = new("MIG0909", DiagnosticSeverity.Error, "State cannot be read for the report",
        "cannot read the state for the report: {0}");

    public static readonly DiagnosticDescriptor ReportPlanNeverApplied = new("MIG0910", DiagnosticSeverity.Info, "Plan not applied yet",
        "plan '{0}' has not been applied yet: the report shows every mailbox as pending");
}

public static partial class Diagnose
{
    public static Diagnostic TemplateSyntaxError(SourceLocation at, string parserMessage, string? hint = null) =>
        DiagnosticCatalog.TemplateSyntaxError.Create(at, hint, parserMessage);

    public static Diagnostic TemplateRuntimeError(SourceLocation at, string reason, string? hint = null) =>
        DiagnosticCatalog.TemplateRuntimeError.Create(at, hint, reason);

    public static Diagnostic TemplateNotFound(SourceLocation at, string template, string? hint = null) =>
        DiagnosticCatalog.TemplateNotFound.Create(at, hint, template);

    public static Diagnostic UnknownBuiltinTemplate(SourceLocation at, string template, string builtinTemplates, string? hint = null) =>
        DiagnosticCatalog.UnknownBuiltinTemplate.Create(at, hint, template, builtinTemplates);

    public static Diagnostic TemplateAccessDenied(SourceLocation at, TemplateFileRole role, string path, string reason, string? hint = null) =>
        DiagnosticCatalog.TemplateAccessDenied.Create(at, hint, role == TemplateFileRole.Template ? "template" : "include", path, reason);

    public static Diagnostic TemplateLimitExceeded(SourceLocation at, string limit, string? hint = null) =>
        DiagnosticCatalog.TemplateLimitExceeded.Create(at, hint, limit);

    public static Diagnostic ReportOutputInvalid(SourceLocation at, string outputPath, string problem, string? hint = null) =>
        DiagnosticCatalog.ReportOutputInvalid.Create(at, hint, outputPath, problem);

    public static Diagnostic ReportWriteFailed(SourceLocation at, string reportPath, string reason, string? hint = null) =>
        DiagnosticCatalog.ReportWriteFailed.Create(at, hint, reportPath, reason);

    public static Diagnostic TemplateUnreadable(SourceLocation at, string template, string reason, string? hint = null) =>
        DiagnosticCatalog.TemplateUnreadable.Create(at, hint, template, reason);

    public static Diagnostic ReportStateUnavailable(SourceLocation at, string reason, string? hint = null) =>
        DiagnosticCatalog.ReportStateUnavailable.Create(at, hint, reason);

    public static Diagnostic ReportPlanNeverApplied(SourceLocation at, string plan, string? hint = null) =>
        DiagnosticCatalog.ReportPlanNeverApplied.Create(at, hint, plan);
}

namespace MigrationEngine.Core.Diagnostics;

public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor TemplateSyntaxError = new("MIG0900", DiagnosticSeverity.Error, "Report template syntax error",
        "template syntax error: {0}");

    public static readonly DiagnosticDescriptor TemplateRuntimeError = new("MIG0901", DiagnosticSeverity.Error, "Report template failed",
        "template error: {0}");

    public static readonly DiagnosticDescriptor TemplateNotFound = new("MIG0902", DiagnosticSeverity.Error, "Report template not found",
        "report template {0} does not exist");

    public static readonly DiagnosticDescriptor UnknownBuiltinTemplate = new("MIG0903", DiagnosticSeverity.Error, "Unknown built-in template",
        "'{0}' is not a built-in template; the built-in templates are {1}");

    public static readonly DiagnosticDescriptor TemplateAccessDenied = new("MIG0904", DiagnosticSeverity.Error, "Template file access not allowed",
        "{0}");

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

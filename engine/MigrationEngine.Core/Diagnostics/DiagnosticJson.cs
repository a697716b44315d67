namespace MigrationEngine.Core.Diagnostics;

/// <summary>One diagnostic as every JSON output writes it (validate, plan, check, inventory, forecast): one shape for all.</summary>
public static class DiagnosticJson
{
    public static object Of(Diagnostic d) => new
    {
        code = d.Code,
        severity = d.Severity.ToString().ToLowerInvariant(),
        file = d.File,
        line = d.Line,
        column = d.Column,
        message = d.Message,
        hint = d.Hint,
    };
}

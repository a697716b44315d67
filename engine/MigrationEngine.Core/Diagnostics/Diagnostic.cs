namespace MigrationEngine.Core.Diagnostics;

/// <summary>One finding about user input. Diagnostics are values: collected, sorted and printed together.</summary>
public sealed record Diagnostic(
    string Code,
    DiagnosticSeverity Severity,
    string File,
    int Line,
    int Column,
    string Message,
    string? Hint = null)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public SourceLocation Location => new(File, Line, Column);

    /// <summary>MSBuild style, as CI log parsers read it: <c>plans/x.yaml(14,7): error MIG0104: message</c>.</summary>
    public string ToMsBuildString()
    {
        var where = Line > 0 ? $"{File}({Line},{Column})" : File;
        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        var text = $"{where}: {severity} {Code}: {Message}";
        return Hint is null ? text : $"{text} (hint: {Hint})";
    }

    public override string ToString() => ToMsBuildString();
}

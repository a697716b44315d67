using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Reports;

/// <summary>What a render produced.</summary>
/// <param name="FilesWritten">Absolute paths of the reports written, in plan order.</param>
/// <param name="Diagnostics">Template and output problems; errors mean some report was not written.</param>
public sealed record ReportRenderResult(IReadOnlyList<string> FilesWritten, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>
    /// The rendered text when the report goes to standard output (no <c>spec.reports</c> and no output override),
    /// for the caller to print; null when every report went to a file.
    /// </summary>
    public string? StandardOutput { get; init; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Model;

public sealed record ReportDefinition(string Template, string Output, SourceLocation Location);

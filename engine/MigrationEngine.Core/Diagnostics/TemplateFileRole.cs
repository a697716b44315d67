namespace MigrationEngine.Core.Diagnostics;

/// <summary>Which file of a report a refused path was: the template <c>spec.reports</c> names, or a file it includes.</summary>
public enum TemplateFileRole
{
    Template,
    Include,
}

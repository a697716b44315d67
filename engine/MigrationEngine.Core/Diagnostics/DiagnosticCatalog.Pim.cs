namespace MigrationEngine.Core.Diagnostics;

/// <summary>
/// MIG1600-MIG1639: contacts and calendars (the plan's <c>items:</c>): which sources and targets carry them, and what
/// happens to single items on the way (bad items, what a target could not hold).
/// </summary>
public static partial class DiagnosticCatalog
{
    // MIG160x: the plan
    public static readonly DiagnosticDescriptor ItemKindNotInSource = new("MIG1600", DiagnosticSeverity.Error, "Source cannot carry this item kind",
        "migration '{0}' moves {1}, but source '{2}' (type {3}) carries {4} only; sources that carry {1}: {5}");
    public static readonly DiagnosticDescriptor ItemKindNotInTarget = new("MIG1601", DiagnosticSeverity.Error, "Target cannot carry this item kind",
        "migration '{0}' moves {1}, but target '{2}' (type {3}) carries {4} only; targets that carry {1}: {5}");
    public static readonly DiagnosticDescriptor ItemsOnNativeMigration = new("MIG1602", DiagnosticSeverity.Error, "items does not apply to a migration Exchange Online runs",
        "migration '{0}' (type {1}) is run by Exchange Online's migration service, which decides itself what it moves; items: applies to migrations the engine copies");

    // MIG161x: single items (a bad item is an item event with its reason, counted per kind, as mail's are)
    public static readonly DiagnosticDescriptor PimDropped = new("MIG1611", DiagnosticSeverity.Info, "Target could not hold part of an item",
        "mailbox {0}, {1}: target '{2}' could not hold {3} of {4:N0} item(s) (kept the rest of each item)");
}

public static partial class Diagnose
{
    public static Diagnostic ItemKindNotInSource(SourceLocation at, string migration, string itemKind, string source, string sourceType, string carried, string typesCarrying, string? hint = null) =>
        DiagnosticCatalog.ItemKindNotInSource.Create(at, hint, migration, itemKind, source, sourceType, carried, typesCarrying);

    public static Diagnostic ItemKindNotInTarget(SourceLocation at, string migration, string itemKind, string target, string targetType, string carried, string typesCarrying, string? hint = null) =>
        DiagnosticCatalog.ItemKindNotInTarget.Create(at, hint, migration, itemKind, target, targetType, carried, typesCarrying);

    public static Diagnostic ItemsOnNativeMigration(SourceLocation at, string migration, string migrationType, string? hint = null) =>
        DiagnosticCatalog.ItemsOnNativeMigration.Create(at, hint, migration, migrationType);

    public static Diagnostic PimDropped(SourceLocation at, string mailbox, string itemKind, string target, string droppedPart, long items, string? hint = null) =>
        DiagnosticCatalog.PimDropped.Create(at, hint, mailbox, itemKind, target, droppedPart, items);
}

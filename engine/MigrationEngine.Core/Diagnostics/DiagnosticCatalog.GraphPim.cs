namespace MigrationEngine.Core.Diagnostics;

/// <summary>MIG1640-MIG1669: contacts and calendars written to Exchange Online through Graph.</summary>
public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor GraphPimItemRefused = new(
        "MIG1640", DiagnosticSeverity.Error, "Graph refused a contact or event",
        "Graph refused {0} {1} for mailbox {2}: {3}");

    public static readonly DiagnosticDescriptor GraphPimItemUnmappable = new(
        "MIG1641", DiagnosticSeverity.Error, "Contact or event cannot be written to Graph",
        "{0} {1} cannot be written to mailbox {2}: {3}");

    public static readonly DiagnosticDescriptor GraphPimCollectionFailed = new(
        "MIG1642", DiagnosticSeverity.Error, "Cannot create a contact folder or calendar",
        "cannot create {0} '{1}' in mailbox {2}: {3}");
}

public static partial class Diagnose
{
    public static Diagnostic GraphPimItemRefused(SourceLocation at, string itemKind, string itemId, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.GraphPimItemRefused.Create(at, hint, itemKind, itemId, mailbox, reason);

    public static Diagnostic GraphPimItemUnmappable(SourceLocation at, string itemKind, string itemId, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.GraphPimItemUnmappable.Create(at, hint, itemKind, itemId, mailbox, reason);

    public static Diagnostic GraphPimCollectionFailed(SourceLocation at, string collectionKind, string collection, string mailbox, string reason, string? hint = null) =>
        DiagnosticCatalog.GraphPimCollectionFailed.Create(at, hint, collectionKind, collection, mailbox, reason);
}

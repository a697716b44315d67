using System.Globalization;

namespace MigrationEngine.Core.Diagnostics;

/// <summary>A catalog entry: the code, its default severity, a message format and what it is about.</summary>
public sealed record DiagnosticDescriptor(string Code, DiagnosticSeverity Severity, string Title, string MessageFormat)
{
    // Untyped: nothing checks the number or the types of args against MessageFormat, so only the typed factories in
    // Diagnose (this assembly) call it; everything else, tests included, builds diagnostics through Diagnose.X.
    internal Diagnostic Create(SourceLocation location, string? hint = null, params object?[] args) =>
        new(Code, Severity, location.File, location.Line, location.Column,
            args.Length == 0 ? MessageFormat : string.Format(CultureInfo.InvariantCulture, MessageFormat, args), hint);
}

/// <summary>
/// One typed factory per code, next to its descriptor in the same DiagnosticCatalog.*.cs file
/// (<c>Diagnose.DuplicateKey(at, key, firstLine)</c>): each placeholder of the message is a named, typed parameter, so the
/// compiler checks every call. The descriptors stay in <see cref="DiagnosticCatalog"/> (code, severity, title, format),
/// where the docs test and code comparisons (<c>DiagnosticCatalog.LeaseLost.Code</c>) read them.
/// </summary>
public static partial class Diagnose;

using System.Globalization;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// Applies <see cref="PlanSchema"/> with NJsonSchema and turns its errors into positioned, readable diagnostics.
/// oneOf failures for sources and targets are narrowed to the branch chosen by <c>type</c>.
/// </summary>
public static class SchemaValidator
{
    public static void Validate(YamlTreeNode root, string file, DiagnosticBag diagnostics)
    {
        var origins = new Dictionary<JToken, YamlOrigin>(ReferenceEqualityComparer.Instance);
        var mailboxLists = new List<(string Path, YamlTreeSequence List)>();
        var json = YamlJson.Convert(root, origins, UseMailboxFastPath ? (path, sequence) => CollectMailboxList(path, sequence, mailboxLists) : null);
        var errors = new JsonSchemaValidator().Validate(json, PlanSchema.Schema, SchemaType.JsonSchema);
        var context = new Context(file, diagnostics, origins, root);
        foreach (var error in errors)
        {
            context.Report(error, endpointRole: null);
        }

        foreach (var (path, list) in mailboxLists)
        {
            MailboxItemsFastPath.Validate(path, list, file, diagnostics);
        }
    }

    /// <summary>
    /// NJsonSchema takes about 0.1 ms per mailbox item; a 10,000-mailbox plan must validate in well under a second, so
    /// mailbox list items are checked by <see cref="MailboxItemsFastPath"/>, which reads its rules from the schema's
    /// <c>mailbox</c> definition and gives the same diagnostics (a test compares both paths).
    /// </summary>
    internal static bool UseMailboxFastPath { get; set; } = true;

    private static bool CollectMailboxList(string path, YamlTreeSequence sequence, List<(string, YamlTreeSequence)> into)
    {
        // spec.mailboxSets.<name>.mailboxes
        if (!path.StartsWith("spec.mailboxSets.", StringComparison.Ordinal) || !path.EndsWith(".mailboxes", StringComparison.Ordinal)
            || path.Length <= "spec.mailboxSets..mailboxes".Length || path.AsSpan("spec.mailboxSets.".Length, path.Length - "spec.mailboxSets..mailboxes".Length).Contains('.'))
        {
            return false;
        }

        into.Add((path, sequence));
        return true;
    }

    private sealed class Context(string file, DiagnosticBag diagnostics, Dictionary<JToken, YamlOrigin> origins, YamlTreeNode root)
    {
        public void Report(ValidationError error, string? endpointRole)
        {
            var origin = Origin(error.Token) ?? new YamlOrigin(root, null, "");
            var path = DisplayPath(origin.Path);
            var schema = error.Schema?.ActualSchema;
            switch (error.Kind)
            {
                case ValidationErrorKind.NoAdditionalPropertiesAllowed:
                {
                    var name = error.Property ?? LastSegment(origin.Path);
                    var keyNode = KeyNode(error.Token, name) ?? origin.Node;
                    var parentPath = origin.Path.Length > name.Length ? origin.Path[..^(name.Length + 1)] : "";
                    var allowed = schema?.ActualProperties.Keys ?? (IEnumerable<string>)[];
                    var where = WhereText(parentPath, endpointRole);
                    diagnostics.Add(Diagnose.UnknownProperty(At(keyNode), name, where, hint: Suggestions.DidYouMean(name, allowed)));
                    break;
                }

                case ValidationErrorKind.PropertyRequired when origin.Node is not YamlTreeMapping:
                    // NJsonSchema also reports required properties of a value that is not a mapping; the type error says it all.
                    break;
                case ValidationErrorKind.PropertyRequired:
                {
                    var where = WhereText(origin.Path, endpointRole);
                    diagnostics.Add(Diagnose.MissingProperty(At(origin.Node), error.Property, where));
                    break;
                }

                case ValidationErrorKind.StringExpected:
                    diagnostics.Add(Diagnose.WrongType(At(origin.Node), path, "a string"));
                    break;
                case ValidationErrorKind.IntegerExpected:
                    diagnostics.Add(Diagnose.WrongType(At(origin.Node), path, "an integer"));
                    break;
                case ValidationErrorKind.NumberExpected:
                    diagnostics.Add(Diagnose.WrongType(At(origin.Node), path, "a number"));
                    break;
                case ValidationErrorKind.BooleanExpected:
                    diagnostics.Add(Diagnose.WrongType(At(origin.Node), path, "true or false"));
                    break;
                case ValidationErrorKind.ObjectExpected:
                    diagnostics.Add(Diagnose.WrongType(At(origin.Node), path, "a mapping (key: value pairs)"));
                    break;
                case ValidationErrorKind.ArrayExpected:
                    diagnostics.Add(Diagnose.WrongType(At(origin.Node), path, "a list"));
                    break;
                case ValidationErrorKind.NotInEnumeration:
                    ReportEnum(origin, path, schema);
                    break;
                case ValidationErrorKind.PatternMismatch:
                    diagnostics.Add(Diagnose.PatternMismatch(At(origin.Node), ValueText(origin), path,
                        schema?.Description ?? $"it must match {schema?.Pattern}"));
                    break;
                case ValidationErrorKind.StringTooShort:
                    diagnostics.Add(Diagnose.SchemaViolation(At(origin.Node), path, "the value must not be empty"));
                    break;
                case ValidationErrorKind.NumberTooSmall or ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig:
                    diagnostics.Add(Diagnose.OutOfRange(At(origin.Node), path,
                        string.Create(CultureInfo.InvariantCulture, $"it must be between {schema?.Minimum} and {schema?.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "any"}")));
                    break;
                case ValidationErrorKind.TooFewItems:
                    diagnostics.Add(Diagnose.TooFewItems(At(origin.Node), path, schema?.MinItems ?? 1));
                    break;
                case ValidationErrorKind.TooFewProperties:
                    diagnostics.Add(Diagnose.TooFewItems(At(origin.Node), path, schema?.MinProperties ?? 1));
                    break;
                case ValidationErrorKind.NotOneOf when error is ChildSchemaValidationError child:
                    ReportEndpoint(child, origin, path);
                    break;
                case ValidationErrorKind.ArrayItemNotValid or ValidationErrorKind.AdditionalPropertiesNotValid or ValidationErrorKind.AdditionalItemNotValid
                    when error is ChildSchemaValidationError nested:
                    foreach (var inner in nested.Errors.SelectMany(e => e.Value))
                    {
                        Report(inner, endpointRole);
                    }

                    break;
                default:
                    diagnostics.Add(Diagnose.SchemaViolation(At(origin.Node), path, error.Kind.ToString()));
                    break;
            }
        }

        private void ReportEnum(YamlOrigin origin, string path, JsonSchema? schema)
        {
            var allowed = schema?.Enumeration.Select(v => System.Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToList() ?? [];
            var value = ValueText(origin);
            if (origin.Path == "apiVersion")
            {
                diagnostics.Add(Diagnose.UnknownApiVersion(At(origin.Node), value, string.Join(", ", PlanSchema.KnownApiVersions)));
                return;
            }

            if (origin.Path == "kind")
            {
                diagnostics.Add(Diagnose.UnknownKind(At(origin.Node), value, hint: Suggestions.DidYouMean(value, allowed)));
                return;
            }

            diagnostics.Add(Diagnose.NotInEnum(At(origin.Node), value, path, string.Join(", ", allowed), hint: Suggestions.DidYouMean(value, allowed)));
        }

        private void ReportEndpoint(ChildSchemaValidationError error, YamlOrigin origin, string path)
        {
            var role = origin.Path.StartsWith("spec.targets.", StringComparison.Ordinal) ? "target" : "source";
            var branches = error.Errors.Keys.Select(s => s.ActualSchema).ToList();
            var typeNames = branches
                .SelectMany(b => b.ActualProperties.TryGetValue("type", out var t) ? t.ActualSchema.Enumeration.Select(v => v?.ToString() ?? "") : [])
                .ToList();
            if (origin.Node is not YamlTreeMapping mapping)
            {
                diagnostics.Add(Diagnose.WrongType(At(origin.Node), path, "a mapping (key: value pairs)"));
                return;
            }

            var typeNode = mapping.GetScalar("type");
            if (typeNode is null || typeNode.IsNull)
            {
                diagnostics.Add(Diagnose.MissingProperty(At(mapping), "type", $" in {path} (one of: {string.Join(", ", typeNames)})"));
                return;
            }

            var typeName = typeNode.Value;
            foreach (var (branch, branchErrors) in error.Errors)
            {
                var actual = branch.ActualSchema;
                if (actual.ActualProperties.TryGetValue("type", out var typeSchema)
                    && typeSchema.ActualSchema.Enumeration.Any(v => string.Equals(v?.ToString(), typeName, StringComparison.Ordinal)))
                {
                    foreach (var inner in branchErrors)
                    {
                        Report(inner, $"{role} type {typeName}");
                    }

                    return;
                }
            }

            diagnostics.Add(Diagnose.UnknownEndpointType(At(typeNode), role, typeName, string.Join(", ", typeNames),
                hint: Suggestions.DidYouMean(typeName, typeNames)));
        }

        private static string WhereText(string path, string? endpointRole) =>
            endpointRole is not null ? $" for {endpointRole}" : path.Length == 0 ? " at the top level" : $" in {DisplayPath(path)}";

        private static string DisplayPath(string path) => path.Length == 0 ? "(plan)" : path;

        private static string LastSegment(string path)
        {
            var dot = path.LastIndexOf('.');
            return dot < 0 ? path : path[(dot + 1)..];
        }

        private static string ValueText(YamlOrigin origin) => origin.Node is YamlTreeScalar scalar ? scalar.Value : "(value)";

        private YamlOrigin? Origin(JToken? token)
        {
            if (token is null)
            {
                return null;
            }

            return origins.TryGetValue(token, out var origin) ? origin : null;
        }

        private YamlTreeNode? KeyNode(JToken? token, string name)
        {
            if (token is JProperty property && origins.TryGetValue(property, out var propertyOrigin))
            {
                return propertyOrigin.Node;
            }

            if (token is JObject obj && obj.Property(name, StringComparison.Ordinal) is { } named && origins.TryGetValue(named, out var namedOrigin))
            {
                return namedOrigin.Node;
            }

            if (token?.Parent is JProperty parent && origins.TryGetValue(parent, out var parentOrigin))
            {
                return parentOrigin.Node;
            }

            return null;
        }

        private SourceLocation At(YamlTreeNode node) => new(file, node.Line, node.Column);
    }
}

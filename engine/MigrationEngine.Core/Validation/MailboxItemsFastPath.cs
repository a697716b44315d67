using System.Globalization;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using NJsonSchema;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// Checks mailbox list items against the schema's <c>mailbox</c> definition without NJsonSchema: the same rules
/// (properties, required, string type, minLength, no additional properties), read from the schema, and the same
/// diagnostics as <see cref="SchemaValidator"/> reports for them.
/// </summary>
internal static class MailboxItemsFastPath
{
    private sealed record Rules(Dictionary<string, int> MinLengthByProperty, string[] Required, string[] Names);

    private static readonly Lazy<Rules> MailboxRules = new(() =>
    {
        var mailbox = PlanSchema.Schema.Definitions["mailbox"].ActualSchema;
        var minLengths = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, property) in mailbox.ActualProperties)
        {
            var actual = property.ActualSchema;
            if (actual.Type != JsonObjectType.String)
            {
                throw new InvalidOperationException($"the fast path only handles string properties; mailbox.{name} is {actual.Type}");
            }

            minLengths[name] = actual.MinLength ?? 0;
        }

        return new Rules(minLengths, mailbox.RequiredProperties.ToArray(), mailbox.ActualProperties.Keys.ToArray());
    });

    public static void Validate(string path, YamlTreeSequence list, string file, DiagnosticBag diagnostics)
    {
        var rules = MailboxRules.Value;
        for (var i = 0; i < list.Items.Count; i++)
        {
            var node = list.Items[i].Value;
            var itemPath = path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            if (node is not YamlTreeMapping item)
            {
                diagnostics.Add(Diagnose.WrongType(At(file, node), itemPath, "a mapping (key: value pairs)"));
                continue;
            }

            foreach (var entry in item.Entries)
            {
                var name = entry.Key.Value;
                if (!rules.MinLengthByProperty.TryGetValue(name, out var minLength))
                {
                    diagnostics.Add(Diagnose.UnknownProperty(At(file, entry.Key), name, " in " + itemPath, hint: Suggestions.DidYouMean(name, rules.Names)));
                    continue;
                }

                var valuePath = itemPath + "." + name;
                if (entry.Value is not YamlTreeScalar scalar || YamlScalars.TypeOf(scalar) != YamlScalarType.String)
                {
                    diagnostics.Add(Diagnose.WrongType(At(file, entry.Value), valuePath, "a string"));
                }
                else if (scalar.Value.Length < minLength)
                {
                    diagnostics.Add(Diagnose.SchemaViolation(At(file, entry.Value), valuePath, "the value must not be empty"));
                }
            }

            foreach (var required in rules.Required)
            {
                if (item.FindEntry(required) is null)
                {
                    diagnostics.Add(Diagnose.MissingProperty(At(file, item), required, " in " + itemPath));
                }
            }
        }
    }

    private static SourceLocation At(string file, YamlTreeNode node) => new(file, node.Line, node.Column);
}

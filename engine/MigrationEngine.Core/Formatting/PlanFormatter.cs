using System.Globalization;
using System.Text;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;

namespace MigrationEngine.Core.Formatting;

/// <summary>
/// Rewrites a plan in canonical form: fixed key order (documented in docs/plan-format.md), two-space indentation,
/// block collections with sequences indented under their key, plain scalars unless quoting is required, no blank lines.
/// Comments travel with the key or list item below them. Format(Format(x)) == Format(x).
/// </summary>
public static class PlanFormatter
{
    private static readonly Dictionary<string, string[]> KeyOrders = new(StringComparer.Ordinal)
    {
        ["root"] = ["apiVersion", "kind", "metadata", "spec"],
        ["metadata"] = ["name", "description", "labels"],
        ["spec"] = ["options", "sources", "targets", "mailboxSets", "migrations", "reports"],
        ["options"] = ["allowPlaintextSecrets"],
        ["endpoint"] =
        [
            "type", "preset", "host", "port", "tls", "allowInsecure", "caFile", "maxConnections", "server", "version", "path", "layout", "engine",
            "tenantId", "clientId", "clientSecret", "certificate", "certificatePassword", "cloud", "endpoint", "authorityHost",
            "importMode", "auth", "credentials", "provision", "serviceAccountKey", "adminEmail", "migrationEndpoint",
        ],
        ["auth"] = ["mechanism", "username", "password", "accessToken", "tenantId", "clientId", "clientSecret", "authorityHost", "keyFile", "scope"],
        ["credentials"] = ["username", "password"],
        ["provision"] = ["createUsers", "usageLocation", "licenses", "passwordFile"],
        ["set"] = ["csv", "allowPlaintextPasswords", "mailboxes"],
        ["mailbox"] = ["source", "target", "username", "password", "userRoot"],
        ["migration"] =
        [
            "name", "type", "from", "to", "items", "mailboxSets", "dependsOn", "engine", "passes", "folders", "filters", "concurrency",
            "labelCopies", "gmail", "syncFlags", "badItemLimit", "complete", "startAfter", "completeAfter", "notificationEmails",
            "targetDeliveryDomain", "exchange",
        ],
        ["folders"] = ["include", "exclude", "map"],
        ["filters"] = ["since", "before", "maxMessageSize", "includeDeleted"],
        ["concurrency"] = ["mailboxes", "connectionsPerMailbox"],
        ["gmail"] = ["labelPriority", "important"],
        ["report"] = ["template", "output"],
    };

    /// <summary>Contexts whose keys are user-chosen names: their order is the user's.</summary>
    private const string Keep = "keep";

    public static FormatResult Format(string yamlText, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        var diagnostics = new DiagnosticBag();
        var document = YamlTreeReader.Parse(yamlText, displayPath, diagnostics, keepComments: true);
        if (document?.Root is null)
        {
            var syntaxError = diagnostics.ToSortedList().FirstOrDefault(d => d.Code == DiagnosticCatalog.YamlSyntax.Code);
            if (syntaxError is not null && YamlTreeReader.Parse(yamlText, displayPath, new DiagnosticBag()) is not null)
            {
                // The YAML is valid; YamlDotNet only fails when it also has to report comments at this spot.
                return new FormatResult(null, [Diagnose.CommentPlacement(syntaxError.Location)]);
            }

            return new FormatResult(null, diagnostics.ToSortedList());
        }

        var output = new StringBuilder(yamlText.Length + 256);
        foreach (var comment in document.HeaderComments)
        {
            output.Append(CommentText(comment)).Append('\n');
        }

        switch (document.Root)
        {
            case YamlTreeMapping { Entries.Count: > 0 } mapping:
                WriteMapping(output, mapping, 0, "root");
                break;
            case YamlTreeSequence { Items.Count: > 0 } sequence:
                WriteSequence(output, sequence, 0, Keep);
                break;
            default:
                output.Append(InlineValue(document.Root)).Append('\n');
                break;
        }

        foreach (var comment in document.TrailingComments)
        {
            output.Append(CommentText(comment)).Append('\n');
        }

        return new FormatResult(output.ToString(), diagnostics.ToSortedList());
    }

    private static string ChildContext(string context, string key) => (context, key) switch
    {
        ("root", "metadata") => "metadata",
        ("root", "spec") => "spec",
        ("spec", "options") => "options",
        ("spec", "sources" or "targets") => "endpoints",
        ("endpoints", _) => "endpoint",
        ("endpoint", "auth") => "auth",
        ("endpoint", "credentials") => "credentials",
        ("endpoint", "provision") => "provision",
        ("spec", "mailboxSets") => "sets",
        ("sets", _) => "set",
        ("set", "mailboxes") => "mailboxes",
        ("spec", "migrations") => "migrations",
        ("migration", "folders") => "folders",
        ("migration", "filters") => "filters",
        ("migration", "concurrency") => "concurrency",
        ("migration", "gmail") => "gmail",
        ("spec", "reports") => "reports",
        _ => Keep,
    };

    private static string ItemContext(string context) => context switch
    {
        "mailboxes" => "mailbox",
        "migrations" => "migration",
        "reports" => "report",
        _ => Keep,
    };

    private static List<YamlTreeEntry> Ordered(YamlTreeMapping mapping, string context)
    {
        if (!KeyOrders.TryGetValue(context, out var order))
        {
            return mapping.Entries;
        }

        // Known keys in the documented order, then unknown keys alphabetically.
        return mapping.Entries
            .OrderBy(e => Array.IndexOf(order, e.Key.Value) is var i && i >= 0 ? i : order.Length)
            .ThenBy(e => Array.IndexOf(order, e.Key.Value) >= 0 ? "" : e.Key.Value, StringComparer.Ordinal)
            .ToList();
    }

    private static void WriteMapping(StringBuilder output, YamlTreeMapping mapping, int indent, string context, bool firstLineStarted = false)
    {
        var entries = Ordered(mapping, context);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var startsOnDashLine = firstLineStarted && i == 0;
            if (!startsOnDashLine)
            {
                foreach (var comment in entry.LeadingComments)
                {
                    Indent(output, indent).Append(CommentText(comment)).Append('\n');
                }

                Indent(output, indent);
            }

            output.Append(ScalarText(entry.Key)).Append(':');
            WriteValue(output, entry.Value, indent, ChildContext(context, entry.Key.Value), entry.TrailingComment);
        }
    }

    private static void WriteSequence(StringBuilder output, YamlTreeSequence sequence, int indent, string context)
    {
        var itemContext = ItemContext(context);
        foreach (var item in sequence.Items)
        {
            foreach (var comment in item.LeadingComments)
            {
                Indent(output, indent).Append(CommentText(comment)).Append('\n');
            }

            if (item.Value is YamlTreeMapping { Entries.Count: > 0 } mapping)
            {
                // Comments of the first entry go above the dash: after a re-parse they belong to the item, same output.
                var first = Ordered(mapping, itemContext)[0];
                if (item.TrailingComment is not null)
                {
                    Indent(output, indent).Append(CommentText(item.TrailingComment)).Append('\n');
                }

                foreach (var comment in first.LeadingComments)
                {
                    Indent(output, indent).Append(CommentText(comment)).Append('\n');
                }

                Indent(output, indent).Append("- ");
                WriteMapping(output, mapping, indent + 2, itemContext, firstLineStarted: true);
                continue;
            }

            Indent(output, indent).Append('-');
            WriteValue(output, item.Value, indent, itemContext, item.TrailingComment);
        }
    }

    /// <summary>Writes what follows "key:" or "-": an inline scalar, or a nested block on the next lines.</summary>
    private static void WriteValue(StringBuilder output, YamlTreeNode value, int indent, string context, string? trailingComment)
    {
        var trailing = trailingComment is null ? "" : "  " + CommentText(trailingComment);
        switch (value)
        {
            case YamlTreeMapping { Entries.Count: > 0 } mapping:
                output.Append(trailing).Append('\n');
                WriteMapping(output, mapping, indent + 2, context);
                break;
            case YamlTreeSequence { Items.Count: > 0 } sequence:
                output.Append(trailing).Append('\n');
                WriteSequence(output, sequence, indent + 2, context);
                break;
            case YamlTreeScalar scalar when NeedsLiteralBlock(scalar.Value):
                WriteLiteralBlock(output, scalar.Value, indent + 2, trailing);
                break;
            default:
                var text = InlineValue(value);
                if (text.Length > 0)
                {
                    output.Append(' ').Append(text);
                }

                output.Append(trailing).Append('\n');
                break;
        }
    }

    private static string InlineValue(YamlTreeNode node) => node switch
    {
        YamlTreeMapping => "{}",
        YamlTreeSequence => "[]",
        YamlTreeScalar scalar => ScalarText(scalar),
        _ => "",
    };

    private static bool NeedsLiteralBlock(string value) => value.Contains('\n', StringComparison.Ordinal);

    private static void WriteLiteralBlock(StringBuilder output, string value, int indent, string trailing)
    {
        if (!CanBeLiteral(value))
        {
            output.Append(' ').Append(DoubleQuoted(value)).Append(trailing).Append('\n');
            return;
        }

        var body = value.TrimEnd('\n');
        var trailingNewlines = value.Length - body.Length;
        var chomping = trailingNewlines switch
        {
            0 => "-",
            1 => "",
            _ => "+",
        };
        output.Append(" |").Append(chomping).Append(trailing).Append('\n');
        foreach (var line in body.Split('\n'))
        {
            if (line.Length > 0)
            {
                Indent(output, indent).Append(line);
            }

            output.Append('\n');
        }

        for (var i = 1; i < trailingNewlines; i++)
        {
            output.Append('\n');
        }
    }

    private static bool CanBeLiteral(string value)
    {
        if (value.Length == 0 || value[0] is ' ' or '\n')
        {
            return false;
        }

        foreach (var line in value.Split('\n'))
        {
            if (line.Length > 0 && (line[^1] == ' ' || line.Any(c => char.IsControl(c) && c != '\t')))
            {
                return false;
            }
        }

        return true;
    }

    private static string ScalarText(YamlTreeScalar scalar)
    {
        var value = scalar.Value;
        if (scalar.IsPlain && !value.Contains('\n', StringComparison.Ordinal))
        {
            return value;
        }

        if (CanBePlain(value))
        {
            return value;
        }

        if (value.All(c => !char.IsControl(c)))
        {
            return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
        }

        return DoubleQuoted(value);
    }

    private static readonly HashSet<string> Yaml11Booleans = new(StringComparer.OrdinalIgnoreCase) { "y", "n", "yes", "no", "on", "off" };

    /// <summary>True when the text reads back as the same string when written plain (YAML 1.2, block context).</summary>
    private static bool CanBePlain(string value)
    {
        if (value.Length == 0 || value[0] is ' ' || value[^1] is ' ' or ':')
        {
            return false;
        }

        if ("-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal))
        {
            return false;
        }

        if (value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal) || value.Any(char.IsControl))
        {
            return false;
        }

        // Quoted because other YAML tools (1.1) would read these as booleans; keep them unambiguous.
        if (Yaml11Booleans.Contains(value))
        {
            return false;
        }

        return YamlScalars.TypeOf(new YamlTreeScalar(value, YamlScalarStyle.Plain, 0, 0)) == YamlScalarType.String;
    }

    private static string DoubleQuoted(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    private static string CommentText(string text) => text.Length == 0 ? "#" : "# " + text;

    private static StringBuilder Indent(StringBuilder output, int indent) => output.Append(' ', indent);
}

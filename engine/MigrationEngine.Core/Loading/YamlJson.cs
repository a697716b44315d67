using System.Globalization;
using Newtonsoft.Json.Linq;

namespace MigrationEngine.Core.Loading;

/// <summary>Where a JSON token came from in the YAML: the node, the key that names it, and a dotted path for messages.</summary>
internal sealed record YamlOrigin(YamlTreeNode Node, YamlTreeScalar? Key, string Path);

/// <summary>
/// Converts the YAML tree to JSON for schema validation, remembering each token's YAML origin.
/// Scalar typing follows the YAML 1.2 core schema: <c>on</c>/<c>yes</c> stay strings, quoted scalars are always strings.
/// </summary>
internal static class YamlJson
{
    /// <param name="root">The YAML root.</param>
    /// <param name="origins">Receives each token's YAML origin.</param>
    /// <param name="skipItemsOf">
    /// Sequences whose items are left out of the JSON (their path is passed to the callback instead): the loader checks
    /// large mailbox lists with a fast path driven by the same schema definition.
    /// </param>
    public static JToken Convert(YamlTreeNode root, Dictionary<JToken, YamlOrigin> origins, Func<string, YamlTreeSequence, bool>? skipItemsOf = null)
    {
        // An explicit work stack keeps deep (but within MaxDepth) trees off the call stack and is cheap.
        var rootToken = Create(root);
        origins[rootToken] = new YamlOrigin(root, null, "");
        var work = new Stack<(YamlTreeNode Node, JToken Token, string Path)>();
        work.Push((root, rootToken, ""));
        while (work.Count > 0)
        {
            var (node, token, path) = work.Pop();
            switch (node)
            {
                case YamlTreeMapping mapping:
                    var obj = (JObject)token;
                    foreach (var entry in mapping.Entries)
                    {
                        var childPath = path.Length == 0 ? entry.Key.Value : path + "." + entry.Key.Value;
                        var child = Create(entry.Value);
                        var property = new JProperty(entry.Key.Value, child);
                        obj.Add(property);
                        origins[property] = new YamlOrigin(entry.Key, entry.Key, childPath);
                        origins[child] = new YamlOrigin(entry.Value, entry.Key, childPath);
                        if (entry.Value is not YamlTreeScalar)
                        {
                            work.Push((entry.Value, child, childPath));
                        }
                    }

                    break;
                case YamlTreeSequence sequence:
                    var array = (JArray)token;
                    if (skipItemsOf is not null && skipItemsOf(path, sequence))
                    {
                        break;
                    }

                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        var itemNode = sequence.Items[i].Value;
                        var childPath = path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                        var child = Create(itemNode);
                        array.Add(child);
                        origins[child] = new YamlOrigin(itemNode, null, childPath);
                        if (itemNode is not YamlTreeScalar)
                        {
                            work.Push((itemNode, child, childPath));
                        }
                    }

                    break;
            }
        }

        return rootToken;
    }

    private static JToken Create(YamlTreeNode node) => node switch
    {
        YamlTreeMapping => new JObject(),
        YamlTreeSequence => new JArray(),
        YamlTreeScalar scalar => ScalarValue(scalar),
        _ => JValue.CreateNull(),
    };

    public static JValue ScalarValue(YamlTreeScalar scalar)
    {
        if (!scalar.IsPlain)
        {
            return new JValue(scalar.Value);
        }

        var text = scalar.Value;
        if (scalar.IsNull)
        {
            return JValue.CreateNull();
        }

        switch (text)
        {
            case "true" or "True" or "TRUE":
                return new JValue(true);
            case "false" or "False" or "FALSE":
                return new JValue(false);
        }

        if (TryParseInteger(text, out var integer))
        {
            return new JValue(integer);
        }

        if (LooksLikeFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return new JValue(number);
        }

        return new JValue(text);
    }

    public static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        if (text.Length == 0)
        {
            return false;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            return text.Length > 2 && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal))
        {
            if (text.Length == 2)
            {
                return false;
            }

            foreach (var c in text.AsSpan(2))
            {
                if (c is < '0' or > '7')
                {
                    return false;
                }

                value = value * 8 + (c - '0');
            }

            return true;
        }

        var start = text[0] is '-' or '+' ? 1 : 0;
        if (start == text.Length)
        {
            return false;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static bool LooksLikeFloat(string text)
    {
        // YAML 1.2 core: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?  (.inf/.nan are not useful in a plan)
        var i = 0;
        if (i < text.Length && text[i] is '-' or '+')
        {
            i++;
        }

        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            digits++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '-' or '+')
            {
                i++;
            }

            var exponentDigits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }
}

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

    /// <summary>The scalar as a JSON token, typed by <see cref="YamlScalars.TypeOf"/>.</summary>
    public static JValue ScalarValue(YamlTreeScalar scalar) => YamlScalars.Classify(scalar, out var integer, out var number) switch
    {
        YamlScalarType.Null => JValue.CreateNull(),
        YamlScalarType.Boolean => new JValue(YamlScalars.IsTrue(scalar)),
        YamlScalarType.Integer => new JValue(integer),
        YamlScalarType.Float => new JValue(number),
        _ => new JValue(scalar.Value),
    };
}

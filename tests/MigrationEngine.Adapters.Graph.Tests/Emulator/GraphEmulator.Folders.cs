using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

/// <summary>
/// Single-value extended properties on mail folders: created on an existing folder with PATCH, read with
/// $expand=singleValueExtendedProperties($filter=id eq '...'), the only $expand form the page documents
/// (https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-post-singlevalueextendedproperties,
/// https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get). Property ids must have one of the
/// documented forms ("{type} {guid} Name {name}", "{type} {guid} Id {hex}", "{type} {proptag}").
/// </summary>
public sealed partial class GraphEmulator
{
    private Answer FolderWithExpand(EmulatorUser mailbox, EmulatorFolder folder, string expand)
    {
        var json = FolderJson(mailbox, folder);
        if (expand.Length == 0)
        {
            return new Answer(200, json);
        }

        var match = ExpandFilter().Match(expand);
        if (!match.Success || match.Index != 0 || match.Length != expand.Length)
        {
            return Answer.Fail(400, "BadRequest", $"Parsing OData Select and Expand failed: '{expand}' is not supported.");
        }

        var id = match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal);
        var array = new JsonArray();
        if (folder.ExtendedProperties.TryGetValue(id, out var value))
        {
            array.Add(new JsonObject { ["id"] = id, ["value"] = value });
        }

        json["singleValueExtendedProperties"] = array;
        return new Answer(200, json);
    }

    private void MapFolderProperties()
    {
        // https://learn.microsoft.com/graph/api/mailfolder-update (displayName) and extended properties on an existing folder.
        _app.MapPatch("/v1.0/users/{user}/mailFolders/{folder}", async (HttpContext context, string user, string folder) =>
        {
            var body = await ReadJson(context) as JsonObject;
            await WithMailbox(context, user, mailbox =>
            {
                var found = FindFolderLocked(mailbox, folder);
                if (found is null)
                {
                    return FolderMissing(folder);
                }

                if (body is null || body.Any(p => p.Key is not ("displayName" or "singleValueExtendedProperties" or "@odata.type")))
                {
                    return Answer.Fail(400, "ErrorInvalidProperty", "Only displayName and singleValueExtendedProperties of a mail folder can be updated.");
                }

                var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in body["singleValueExtendedProperties"]?.AsArray() ?? [])
                {
                    var id = property?["id"]?.GetValue<string>();
                    var value = property?["value"];
                    if (id is null || !ExtendedPropertyId().IsMatch(id) || value is not JsonValue || value.GetValueKind() != System.Text.Json.JsonValueKind.String)
                    {
                        return Answer.Fail(400, "ErrorInvalidProperty", $"The extended property '{id}' is not valid.");
                    }

                    properties[id] = value.GetValue<string>();
                }

                foreach (var (id, value) in properties)
                {
                    found.ExtendedProperties[id] = value;
                }

                return new Answer(200, FolderJson(mailbox, found));
            });
        });
    }

    /// <summary>The extended property a test reads or plants on a folder.</summary>
    public string? FolderProperty(string upn, string wellKnown, string id)
    {
        lock (_gate)
        {
            return FindFolderLocked(FindUserLocked(upn)!, wellKnown)!.ExtendedProperties.GetValueOrDefault(id);
        }
    }

    public void SetFolderProperty(string upn, string wellKnown, string id, string value)
    {
        lock (_gate)
        {
            FindFolderLocked(FindUserLocked(upn)!, wellKnown)!.ExtendedProperties[id] = value;
        }
    }

    [GeneratedRegex(@"^(String|Integer|Boolean|SystemTime|Binary|Long|Double|Float|Currency|Short|CLSID)\s+(\{[0-9a-fA-F-]{36}\}\s+(Name\s+\S.*|Id\s+0x[0-9a-fA-F]{1,4})|0x[0-9a-fA-F]{4})$")]
    private static partial Regex ExtendedPropertyId();
}

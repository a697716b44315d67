using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// What each Microsoft Graph national cloud offers the graph target, from the "national cloud deployments" table of each
/// API's reference page: importMime is listed only for the global service
/// (https://learn.microsoft.com/graph/api/mailfolder-importmime?view=graph-rest-beta); attachment createUploadSession is
/// not available in US Government L4 and L5 (https://learn.microsoft.com/graph/api/attachment-createuploadsession).
/// The adapter follows the same table at run time.
/// </summary>
public static class GraphCloudFeatures
{
    /// <summary>Largest attachment Graph takes without an upload session (POST .../attachments).</summary>
    public const long InlineAttachmentLimit = 3 * 1024 * 1024;

    /// <summary>Whether importMime (mime mode) exists in the cloud (null: the plan sets none, global).</summary>
    public static bool HasImportMime(MicrosoftCloud? cloud) => cloud is null or MicrosoftCloud.Global;

    /// <summary>Whether createUploadSession for message attachments exists in the cloud.</summary>
    public static bool HasUploadSessions(MicrosoftCloud? cloud) => cloud is not (MicrosoftCloud.UsGov or MicrosoftCloud.UsGovDod);
}

/// <summary>
/// Plan rules of a graph target that depend on Microsoft's documented behaviour: the import mode and message sizes its
/// cloud can take, and licences, which Graph assigns only to users with a usage location
/// (https://learn.microsoft.com/graph/api/user-assignlicense; the user resource's usageLocation is required for users that
/// are assigned licenses, https://learn.microsoft.com/graph/api/resources/user). The schema checks the code's form.
/// </summary>
internal static class GraphTargetRules
{
    public static void Check(EndpointDefinition definition, YamlTreeMapping node, YamlTreeScalar key, DiagnosticBag diagnostics, Func<YamlTreeNode, SourceLocation> loc)
    {
        var cloud = definition.Cloud ?? MicrosoftCloud.Global;
        if (cloud == MicrosoftCloud.Unknown)
        {
            // The schema reports an unknown cloud.
            return;
        }

        if (!GraphCloudFeatures.HasImportMime(cloud))
        {
            if (definition.ImportMode == ImportMode.Mime)
            {
                diagnostics.Add(Diagnose.GraphMimeUnavailable(loc(node.FindEntry("importMode")!.Value), definition.Name, cloud.Yaml(),
                    hint: "remove importMode (json mode is used in this cloud) or set importMode: json"));
            }
            else if (definition.ImportMode is null)
            {
                diagnostics.Add(Diagnose.GraphJsonModeForCloud(loc(key), definition.Name, cloud.Yaml()));
            }
        }

        if (!GraphCloudFeatures.HasUploadSessions(cloud))
        {
            diagnostics.Add(Diagnose.GraphNoUploadSessions(loc(key), definition.Name, cloud.Yaml(), GraphCloudFeatures.InlineAttachmentLimit));
        }

        if (definition.Provision is { Licenses.Count: > 0 } provision && node.GetMapping("provision") is { } provisionNode)
        {
            if (string.IsNullOrWhiteSpace(provision.UsageLocation))
            {
                diagnostics.Add(Diagnose.GraphLicenceWithoutUsageLocation(loc(provisionNode.FindEntry("licenses")!.Key), definition.Name,
                    hint: "set provision.usageLocation to the users' two-letter country code (ISO 3166-1 alpha-2), for example US"));
            }
        }
    }
}

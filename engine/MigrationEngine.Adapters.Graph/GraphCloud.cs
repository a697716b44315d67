using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// Service roots of the Microsoft Graph national cloud deployments and their token authorities
/// (https://learn.microsoft.com/graph/deployments). The scope uses the cloud's Graph host, as the SDK guide for
/// national clouds requires (https://learn.microsoft.com/graph/sdks/national-clouds).
/// </summary>
public sealed record GraphCloud(MicrosoftCloud Cloud, string GraphBaseUrl, string AuthorityHost, string Scope)
{
    public static readonly GraphCloud Global = new(MicrosoftCloud.Global, "https://graph.microsoft.com/v1.0", "https://login.microsoftonline.com/", "https://graph.microsoft.com/.default");
    public static readonly GraphCloud UsGov = new(MicrosoftCloud.UsGov, "https://graph.microsoft.us/v1.0", "https://login.microsoftonline.us/", "https://graph.microsoft.us/.default");
    public static readonly GraphCloud UsGovDod = new(MicrosoftCloud.UsGovDod, "https://dod-graph.microsoft.us/v1.0", "https://login.microsoftonline.us/", "https://dod-graph.microsoft.us/.default");
    public static readonly GraphCloud China = new(MicrosoftCloud.China, "https://microsoftgraph.chinacloudapi.cn/v1.0", "https://login.chinacloudapi.cn/", "https://microsoftgraph.chinacloudapi.cn/.default");

    public static IReadOnlyList<GraphCloud> All { get; } = [Global, UsGov, UsGovDod, China];

    /// <summary>The service roots of a plan's cloud; null (the plan sets none) means global; null for a value without a service.</summary>
    public static GraphCloud? Find(MicrosoftCloud? cloud) => cloud is null ? Global : All.FirstOrDefault(c => c.Cloud == cloud);

    /// <summary>The beta service root next to a v1.0 root (importMime is a beta action).</summary>
    public static string BetaUrlFor(string graphBaseUrl)
    {
        var root = graphBaseUrl.TrimEnd('/');
        return root.EndsWith("/v1.0", StringComparison.OrdinalIgnoreCase) ? root[..^"/v1.0".Length] + "/beta" : root + "/beta";
    }
}

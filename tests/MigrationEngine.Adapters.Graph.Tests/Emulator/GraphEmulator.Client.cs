using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

public sealed partial class GraphEmulator
{
    /// <summary>
    /// A plain HTTP client holding a client-credentials token of this emulator, for tests that send what the SDK never
    /// would (malformed bodies, unsupported filters) to prove the emulator refuses it the way Graph does.
    /// </summary>
    public async Task<HttpClient> RawClientAsync()
    {
        var handler = new SocketsHttpHandler();
        var server = EmulatorCertificates.Instance.Server;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString() == server.GetCertHashString();
        var client = new HttpClient(handler) { BaseAddress = new Uri(Root) };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["scope"] = "https://graph.microsoft.com/.default",
        });
        using var response = await client.PostAsync($"/{TenantId}/oauth2/v2.0/token", form);
        response.EnsureSuccessStatusCode();
        var token = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

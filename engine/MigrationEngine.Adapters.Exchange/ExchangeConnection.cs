using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>Connect-ExchangeOnline app-only: with a certificate, or with a token from the client-credentials flow for a client secret.</summary>
internal static class ExchangeConnection
{
    public static string? EnvironmentName(MicrosoftCloud? cloud) => cloud switch
    {
        MicrosoftCloud.UsGov => "O365USGovGCCHigh",
        MicrosoftCloud.UsGovDod => "O365USGovDoD",
        MicrosoftCloud.China => "O365China",
        _ => null,
    };

    /// <summary>
    /// The token service and the Exchange Online resource of each cloud: GCC High outlook.office365.us, DoD webmail.apps.mil, 21Vianet
    /// partner.outlook.cn (the ConnectionUri values of https://learn.microsoft.com/powershell/module/exchangepowershell/connect-exchangeonline).
    /// </summary>
    public static (string Authority, string Scope) CloudHosts(MicrosoftCloud? cloud) => cloud switch
    {
        MicrosoftCloud.UsGov => ("https://login.microsoftonline.us/", "https://outlook.office365.us/.default"),
        MicrosoftCloud.UsGovDod => ("https://login.microsoftonline.us/", "https://webmail.apps.mil/.default"),
        MicrosoftCloud.China => ("https://login.chinacloudapi.cn/", "https://partner.outlook.cn/.default"),
        _ => ("https://login.microsoftonline.com/", "https://outlook.office365.com/.default"),
    };

    public static async Task ConnectAsync(PowerShellSession session, PlanModel plan, MigrationDefinition migration, ConnectionSpec connection, CancellationToken cancellationToken)
    {
        var parameters = new List<(string, object?)> { ("AppId", connection.AppId) };
        try
        {
            if (connection.CertificateFile is { } file)
            {
                if (!File.Exists(file))
                {
                    throw Fail(migration, connection, $"certificate file {file} does not exist", "check certificate: in the target; the path is relative to the plan's folder");
                }

                parameters.Add(("CertificateFilePath", file));
                if (connection.CertificatePassword is { } password)
                {
                    var value = password.Resolve(plan.PlanDirectory);
                    session.RegisterSecret(value);
                    parameters.Add(("CertificatePassword", PowerShellSession.Secure(value)));
                }
            }
            else if (connection.CertificateBase64 is { } base64)
            {
                var bytes = Convert.FromBase64String(base64.Resolve(plan.PlanDirectory).Trim());
                var password = connection.CertificatePassword?.Resolve(plan.PlanDirectory);
                parameters.Add(("Certificate", X509CertificateLoader.LoadPkcs12(bytes, password)));
            }
            else
            {
                var token = await RequestTokenAsync(plan, migration, connection, cancellationToken);
                session.RegisterSecret(token);
                parameters.Add(("AccessToken", token));
            }
        }
        catch (SecretUnavailableException ex)
        {
            throw new MigrationException(Diagnose.ExchangeSecretUnavailable(migration.Location, migration.Name, ex.Message,
                hint: "set the variable or create the file the plan refers to"));
        }
        catch (FormatException)
        {
            throw Fail(migration, connection, "the certificate variable does not hold base64", "put the PFX's base64 in the variable, or use certificate: file:PATH");
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw Fail(migration, connection, "the certificate cannot be loaded: " + ex.Message, "a PFX with its private key (and certificatePassword when it is protected)");
        }

        parameters.Add(("Organization", connection.Organization));
        if (EnvironmentName(connection.Cloud) is { } environment)
        {
            parameters.Add(("ExchangeEnvironmentName", environment));
        }

        parameters.Add(("ShowBanner", false));
        // "Use this switch to avoid errors when connecting to Exchange Online PowerShell from within a Windows service or the Windows
        // PowerShell SDK" (SkipLoadingFormatData, Connect-ExchangeOnline reference): the engine hosts the module through the SDK.
        parameters.Add(("SkipLoadingFormatData", true));
        try
        {
            await session.InvokeAsync("Connect-ExchangeOnline", parameters, cancellationToken);
        }
        catch (PowerShellCommandException ex)
        {
            throw Fail(migration, connection, ex.Message, "check the app registration (Exchange.ManageAsApp permission, an Exchange admin role) and its certificate");
        }
    }

    private static async Task<string> RequestTokenAsync(PlanModel plan, MigrationDefinition migration, ConnectionSpec connection, CancellationToken cancellationToken)
    {
        var secret = connection.ClientSecret!.Resolve(plan.PlanDirectory);
        var (defaultAuthority, scope) = CloudHosts(connection.Cloud);
        var authority = new Uri(connection.AuthorityHost ?? defaultAuthority);
        var address = new Uri(authority, $"{Uri.EscapeDataString(connection.TenantId)}/oauth2/v2.0/token");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = connection.AppId,
            ["client_secret"] = secret,
            ["scope"] = scope,
            ["grant_type"] = "client_credentials",
        });
        try
        {
            using var response = await http.PostAsync(address, form, cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (!response.IsSuccessStatusCode || !body.TryGetProperty("access_token", out var token) || token.GetString() is not { Length: > 0 } value)
            {
                var reason = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error_description", out var description)
                    ? description.GetString()?.Split('\n')[0].Replace(secret, "***", StringComparison.Ordinal)
                    : $"HTTP {(int)response.StatusCode}";
                throw Fail(migration, connection, "the token service refused the client secret: " + reason, "check clientId, tenantId and the secret; a certificate is the recommended credential for Exchange Online");
            }

            return value;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw Fail(migration, connection, $"cannot get a token from {authority.Host}: {ex.Message}", "check the network and the target's cloud/authorityHost");
        }
    }

    private static MigrationException Fail(MigrationDefinition migration, ConnectionSpec connection, string reason, string hint) =>
        new(Diagnose.ExchangeConnectFailed(migration.Location, connection.AppId, connection.Organization, reason, hint: hint));
}

using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using MigrationEngine.Adapters.Graph.Http;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// One authenticated Graph client per target endpoint, shared by all its mailboxes (the SDK client and the
/// HttpClient are thread-safe). Owns the handler pipeline: SDK defaults with a tuned retry handler, then the
/// dropped-connection retry, then the per-mailbox limiter, then the socket handler trusting the optional CA file.
/// </summary>
internal sealed class GraphConnection : IDisposable
{
    private GraphConnection(EndpointDefinition endpoint, string tenantId, string clientId, HttpClient http, HttpClient uploads,
        GraphServiceClient client, string baseUrl, GraphTargetOptions options, GraphTargetMetrics metrics)
    {
        Endpoint = endpoint;
        TenantId = tenantId;
        ClientId = clientId;
        Http = http;
        UploadHttp = uploads;
        Client = client;
        BaseUrl = baseUrl;
        BetaUrl = GraphCloud.BetaUrlFor(baseUrl);
        Options = options;
        Metrics = metrics;
    }

    public EndpointDefinition Endpoint { get; }
    public string TenantId { get; }
    public string ClientId { get; }

    /// <summary>The SDK's pipeline; requests sent directly on it carry no token (pre-authenticated upload URLs).</summary>
    public HttpClient UploadHttp { get; }

    public HttpClient Http { get; }
    public GraphServiceClient Client { get; }
    public IRequestAdapter Adapter => Client.RequestAdapter;
    public string BaseUrl { get; }
    public string BetaUrl { get; }
    public GraphTargetOptions Options { get; }
    public GraphTargetMetrics Metrics { get; }

    /// <summary>Folders created on this connection and not written to yet (mailbox id + "\n" + folder id): known empty.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> CreatedEmptyFolders { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Mailboxes this run has proven and claimed (address and run writer to user id): the preflight and the copy of one
    /// apply open the same mailbox, and the second open need not ask again.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> OpenedMailboxes { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The per-mailbox limits shared by the Graph and the upload pipelines.</summary>
    public MailboxBudgets Budgets { get; private init; } = null!;

    public static GraphConnection Create(PlanModel plan, EndpointDefinition endpoint, GraphTargetOptions options, GraphTargetMetrics metrics)
    {
        var tenantId = Require(endpoint, endpoint.TenantId, "tenantId");
        var clientId = Require(endpoint, endpoint.ClientId, "clientId");
        var cloud = GraphCloud.Find(endpoint.Cloud)
            ?? throw Invalid(endpoint, $"the cloud is not one of {string.Join(", ", PlanVocabulary.Clouds.Words)}");
        var baseUrl = NormalizeBaseUrl(endpoint, endpoint.Endpoint ?? cloud.GraphBaseUrl);
        var authority = ParseAbsolute(endpoint, "authorityHost", endpoint.AuthorityHost ?? cloud.AuthorityHost);

        var roots = Core.Loading.TrustedCaFile.Load(plan, endpoint);

        var credential = CreateCredential(plan, endpoint, tenantId, clientId, authority, roots);

        var handlers = GraphClientFactory.CreateDefaultHandlers();
        var retryIndex = handlers.ToList().FindIndex(h => h is RetryHandler);
        var retry = new RetryHandler(new RetryHandlerOption
        {
            MaxRetry = options.MaxRetries,
            Delay = options.RetryDelaySeconds,
        });
        if (retryIndex >= 0)
        {
            handlers[retryIndex] = retry;
        }
        else
        {
            handlers.Insert(0, retry);
        }

        // One budget per mailbox for everything sent on its behalf: Graph calls and upload-session PUTs alike.
        var budgets = new MailboxBudgets(options);
        handlers.Add(new ConnectionRetryHandler(options, metrics));
        handlers.Add(new MailboxLimiterHandler(options, metrics, budgets));
        var http = GraphClientFactory.Create(handlers, finalHandler: TrustedCaHandler.Create(roots));
        http.Timeout = TimeSpan.FromMinutes(10);

        // Upload-session URLs are pre-authenticated and must not receive the bearer token: same handlers, no auth.
        var uploadHandlers = GraphClientFactory.CreateDefaultHandlers();
        var uploadRetryIndex = uploadHandlers.ToList().FindIndex(h => h is RetryHandler);
        var uploadRetry = new RetryHandler(new RetryHandlerOption { MaxRetry = options.MaxRetries, Delay = options.RetryDelaySeconds });
        if (uploadRetryIndex >= 0)
        {
            uploadHandlers[uploadRetryIndex] = uploadRetry;
        }

        uploadHandlers.Add(new ConnectionRetryHandler(options, metrics));
        uploadHandlers.Add(new MailboxLimiterHandler(options, metrics, budgets));
        var uploads = GraphClientFactory.Create(uploadHandlers, finalHandler: TrustedCaHandler.Create(roots));
        uploads.Timeout = TimeSpan.FromMinutes(10);

        var graphHost = new Uri(baseUrl).Host;
        var auth = new AzureIdentityAuthenticationProvider(credential, [graphHost], null, true, cloud.Scope);
        var client = new GraphServiceClient(http, auth, baseUrl);
        return new GraphConnection(endpoint, tenantId, clientId, http, uploads, client, baseUrl, options, metrics) { Budgets = budgets };
    }

    private static TokenCredential CreateCredential(PlanModel plan, EndpointDefinition endpoint, string tenantId, string clientId,
        Uri authority, X509Certificate2Collection? roots)
    {
        // The token service gets its own socket handler: Azure.Identity owns and may dispose its transport.
        var transport = new HttpClientTransport(new HttpClient(TrustedCaHandler.Create(roots)));
        if (endpoint.ClientSecret is not null)
        {
            var secret = ResolveSecret(plan, endpoint, endpoint.ClientSecret);
            return new ClientSecretCredential(tenantId, clientId, secret, new ClientSecretCredentialOptions
            {
                AuthorityHost = authority,
                Transport = transport,
                DisableInstanceDiscovery = true,
            });
        }

        if (endpoint.Certificate is not null)
        {
            var certificate = LoadCertificate(plan, endpoint);
            return new ClientCertificateCredential(tenantId, clientId, certificate, new ClientCertificateCredentialOptions
            {
                AuthorityHost = authority,
                Transport = transport,
                DisableInstanceDiscovery = true,
                SendCertificateChain = false,
            });
        }

        throw new MigrationException(Diagnose.GraphSettingMissing(endpoint.Location, endpoint.Name, "clientSecret or certificate",
            hint: "set clientSecret: env:NAME or certificate: file:PATH"));
    }

    /// <summary>A PFX or PEM (certificate and key) file given as file:PATH, or its base64 in env:NAME.</summary>
    private static X509Certificate2 LoadCertificate(PlanModel plan, EndpointDefinition endpoint)
    {
        var reference = endpoint.Certificate!;
        var password = endpoint.CertificatePassword is null ? null : ResolveSecret(plan, endpoint, endpoint.CertificatePassword);
        byte[] bytes;
        string source;
        try
        {
            if (reference.Kind == SecretKind.File)
            {
                var path = reference.Display["file:".Length..];
                path = Path.IsPathRooted(path) ? path : Path.Combine(plan.PlanDirectory, path);
                if (!File.Exists(path))
                {
                    throw new MigrationException(Diagnose.GraphSecretUnavailable(endpoint.Location, endpoint.Name, $"certificate file {path} does not exist"));
                }

                bytes = File.ReadAllBytes(path);
                source = path;
            }
            else
            {
                bytes = Convert.FromBase64String(ResolveSecret(plan, endpoint, reference).Trim());
                source = reference.Display;
            }
        }
        catch (FormatException)
        {
            throw new MigrationException(Diagnose.GraphSecretUnavailable(endpoint.Location, endpoint.Name, $"certificate {reference.Display} is not base64"));
        }

        try
        {
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                using var pem = password is null ? X509Certificate2.CreateFromPem(text, text) : X509Certificate2.CreateFromEncryptedPem(text, text, password);
                // Re-import so the private key is usable by every platform's TLS/signing stack.
                return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }

            return X509CertificateLoader.LoadPkcs12(bytes, password);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new MigrationException(Diagnose.GraphSecretUnavailable(endpoint.Location,
                endpoint.Name, $"certificate {source} cannot be loaded: {ex.Message}",
                    hint: "a PFX (with certificatePassword when protected) or a PEM holding the certificate and its private key"));
        }
    }

    private static string ResolveSecret(PlanModel plan, EndpointDefinition endpoint, SecretReference reference)
    {
        try
        {
            return reference.Resolve(plan.PlanDirectory);
        }
        catch (SecretUnavailableException ex)
        {
            throw new MigrationException(Diagnose.GraphSecretUnavailable(endpoint.Location, endpoint.Name, ex.Message));
        }
    }

    private static string NormalizeBaseUrl(EndpointDefinition endpoint, string url)
    {
        var uri = ParseAbsolute(endpoint, "endpoint", url);
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            throw Invalid(endpoint, $"endpoint {url} must use https");
        }

        var text = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return uri.AbsolutePath.Trim('/').Length == 0 ? text + "/v1.0" : text;
    }

    private static Uri ParseAbsolute(EndpointDefinition endpoint, string setting, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : throw Invalid(endpoint, $"{setting} '{value}' is not an absolute URL");

    private static string Require(EndpointDefinition endpoint, string? value, string setting) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new MigrationException(Diagnose.GraphSettingMissing(endpoint.Location, endpoint.Name, setting))
            : value.Trim();

    private static MigrationException Invalid(EndpointDefinition endpoint, string message) =>
        new(Diagnose.GraphSettingInvalid(endpoint.Location, endpoint.Name, message));

    public void Dispose()
    {
        Http.Dispose();
        UploadHttp.Dispose();
    }
}

using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Imap;

/// <summary>
/// Access tokens for Gmail IMAP from a Google Workspace service account with domain-wide delegation: per mailbox, a JWT
/// signed with the key's private key (RS256) names the service account as issuer and the mailbox as subject, and is
/// exchanged at the key's own token_uri with the RFC 7523 jwt-bearer grant. As Google documents it in "Using OAuth 2.0 for
/// Server to Server Applications" (https://developers.google.com/identity/protocols/oauth2/service-account, "Preparing to
/// make a delegated API call" and "Making the access token request"): header {"alg":"RS256","typ":"JWT"}; claims iss
/// (client_email), scope, aud (token_uri), exp (at most one hour after iat), iat, sub (the user to act for); POST
/// grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&amp;assertion=JWT; the answer carries access_token and
/// expires_in, or error (unauthorized_client where delegation is not granted) and error_description.
/// The key, the assertion and the token never go into a diagnostic, a log line or an exception.
/// </summary>
internal static class GoogleServiceAccountTokens
{
    public const string DefaultScope = "https://mail.google.com/";
    private const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static readonly TimeSpan AssertionLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private static readonly ConcurrentDictionary<string, CachedToken> Tokens = new(StringComparer.Ordinal);

    // No redirects: the signed assertion goes to the key's token_uri and nowhere else.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(60),
        MaxResponseContentBufferSize = 64 * 1024,
    };

    /// <summary>A token for the login's user (the mailbox), from the cache until five minutes before it expires.</summary>
    public static async Task<string> TokenAsync(ImapSettings settings, CancellationToken cancellationToken)
    {
        var keyReference = settings.Login.Secret!;
        var subject = settings.Login.UserName;
        var scope = settings.Login.Auth?.Scope ?? DefaultScope;
        var cacheKey = string.Join('|', keyReference.HashIdentity, subject.ToLowerInvariant(), scope);
        if (Tokens.TryGetValue(cacheKey, out var cached) && cached.RenewAfter > DateTimeOffset.UtcNow)
        {
            return cached.Token;
        }

        var key = ServiceAccountKey.Parse(settings.ResolveSecret(keyReference), keyReference.Display, settings);
        var now = DateTimeOffset.UtcNow;
        var assertion = key.SignAssertion(subject, scope, now, AssertionLifetime);
        var (token, lifetime) = await ExchangeAsync(key, assertion, settings, cancellationToken);
        var margin = lifetime > 2 * RefreshMargin ? RefreshMargin : lifetime / 2;
        Tokens[cacheKey] = new CachedToken(token, now + lifetime - margin);
        settings.Logger.Information("Google service account {Account} obtained a token for {Mailbox} (scope {Scope}, valid {Seconds} s)",
            key.ClientEmail, subject, scope, (int)lifetime.TotalSeconds);
        return token;
    }

    /// <summary>Drops the mailbox's cached token (the server refused it: revoked or delegation withdrawn).</summary>
    public static void Forget(ImapSettings settings) =>
        Tokens.TryRemove(string.Join('|', settings.Login.Secret!.HashIdentity, settings.Login.UserName.ToLowerInvariant(),
            settings.Login.Auth?.Scope ?? DefaultScope), out _);

    private static async Task<(string Token, TimeSpan Lifetime)> ExchangeAsync(ServiceAccountKey key, string assertion, ImapSettings settings,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, key.TokenUri)
        {
            Content = new FormUrlEncodedContent([new("grant_type", JwtBearerGrant), new("assertion", assertion)]),
        };
        HttpResponseMessage response;
        string body;
        try
        {
            response = await Http.SendAsync(request, cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Unreachable(key, settings, ex is TaskCanceledException ? "no answer within 60 s" : ImapSession.Clean(ex.Message));
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw Unreachable(key, settings, $"HTTP {status}");
            }

            var answer = TryParse(body);
            if (response.IsSuccessStatusCode && answer is { } ok
                && ok.TryGetProperty("access_token", out var accessToken) && accessToken.ValueKind == JsonValueKind.String
                && accessToken.GetString() is { Length: > 0 } token)
            {
                var seconds = ok.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var value) && value > 0 ? value : 3600;
                return (token, TimeSpan.FromSeconds(seconds));
            }

            throw Refused(key, settings, status, answer);
        }
    }

    private static MigrationException Refused(ServiceAccountKey key, ImapSettings settings, int status, JsonElement? answer)
    {
        // Only the error code and Google's description are shown: never the body as a whole, which is the token on success.
        var error = Text(answer, "error");
        var description = Text(answer, "error_description");
        var cause = error is null ? $"HTTP {status} without an OAuth error" : description is null ? error : $"{error}: {description}";
        var hint = error switch
        {
            "unauthorized_client" => $"grant the service account's client ID ({key.ClientId ?? "see the key's client_id"}) domain-wide delegation for scope "
                + $"{settings.Login.Auth?.Scope ?? DefaultScope} in the Google Admin console (Security > Access and data control > API controls > "
                + "Manage Domain Wide Delegation); a new grant can take some minutes to apply",
            "invalid_grant" => "the mailbox must be a user of the Workspace domain, the key must not be deleted, and this machine's clock must be right",
            "invalid_scope" => "auth.scope must be a scope Google knows (https://mail.google.com/ for IMAP)",
            _ => "check the service account key and its domain-wide delegation (docs/plan-format.md, Gmail)",
        };
        return new MigrationException(Diagnose.GoogleTokenRefused(settings.MailboxLocation,
            settings.Address, key.ClientEmail, settings.EndpointName, cause, hint: hint));
    }

    private static MigrationException Unreachable(ServiceAccountKey key, ImapSettings settings, string cause) =>
        new(Diagnose.GoogleTokenEndpointUnreachable(settings.MailboxLocation,
            key.TokenUri, settings.Address, settings.EndpointName, cause, hint: "retried later; check the network path to the token endpoint"))
        {
            Transient = true,
        };

    private static JsonElement? TryParse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement? element, string name) =>
        element is { } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? ImapSession.Clean(value.GetString()!)
            : null;

    private sealed record CachedToken(string Token, DateTimeOffset RenewAfter);
}

/// <summary>The parts of a service account JSON key the token exchange uses. The private key stays inside <see cref="SignAssertion"/>.</summary>
internal sealed class ServiceAccountKey
{
    private readonly string _privateKeyPem;

    private ServiceAccountKey(string clientEmail, string? clientId, string? privateKeyId, string privateKeyPem, Uri tokenUri)
    {
        ClientEmail = clientEmail;
        ClientId = clientId;
        PrivateKeyId = privateKeyId;
        _privateKeyPem = privateKeyPem;
        TokenUri = tokenUri;
    }

    public string ClientEmail { get; }
    public string? ClientId { get; }
    public string? PrivateKeyId { get; }
    public Uri TokenUri { get; }

    public override string ToString() => $"service account {ClientEmail}";

    /// <summary>Reads a key as the Google Cloud console downloads it; every failure is MIG0641/MIG0642 naming the reference, never its content.</summary>
    public static ServiceAccountKey Parse(string json, string reference, ImapSettings settings)
    {
        MigrationException Invalid(string cause) => new(Diagnose.GoogleServiceAccountKeyInvalid(settings.EndpointLocation,
            reference, settings.EndpointName, cause,
                hint: "give auth.keyFile the JSON key of the service account (Google Cloud console > IAM > Service accounts > Keys > Add key > JSON)"));

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // JsonException's message quotes the text it stopped at: it could be part of the key.
            throw Invalid("it is not JSON");
        }

        string? Field(string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString() : null;

        var type = Field("type");
        if (type != "service_account")
        {
            throw Invalid(type is null ? "it has no \"type\": \"service_account\"" : $"it is a '{ImapSession.Clean(type)}' key, not a service account key");
        }

        var clientEmail = Field("client_email") ?? throw Invalid("it has no client_email");
        var privateKey = Field("private_key") ?? throw Invalid("it has no private_key");
        var tokenUriText = Field("token_uri") ?? throw Invalid("it has no token_uri");
        using (var probe = RSA.Create())
        {
            try
            {
                probe.ImportFromPem(privateKey);
            }
            catch (Exception ex) when (ex is ArgumentException or CryptographicException)
            {
                throw Invalid("its private_key is not an RSA private key in PEM form");
            }
        }

        if (!Uri.TryCreate(tokenUriText, UriKind.Absolute, out var tokenUri)
            || !(tokenUri.Scheme == Uri.UriSchemeHttps || (tokenUri.Scheme == Uri.UriSchemeHttp && tokenUri.Host == "127.0.0.1")))
        {
            var shown = ImapSession.Clean(tokenUriText.Length > 200 ? tokenUriText[..200] : tokenUriText);
            throw new MigrationException(Diagnose.GoogleTokenEndpointRejected(settings.EndpointLocation, reference, settings.EndpointName, shown,
                hint: "use the key as Google issues it (token_uri https://oauth2.googleapis.com/token)"));
        }

        return new ServiceAccountKey(ImapSession.Clean(clientEmail), Field("client_id"), Field("private_key_id"), privateKey, tokenUri);
    }

    /// <summary>The RS256-signed JWT asking for <paramref name="scope"/> on behalf of <paramref name="subject"/>.</summary>
    public string SignAssertion(string subject, string scope, DateTimeOffset now, TimeSpan lifetime)
    {
        var header = Json(writer =>
        {
            writer.WriteString("alg", "RS256");
            writer.WriteString("typ", "JWT");
            if (PrivateKeyId is not null)
            {
                writer.WriteString("kid", PrivateKeyId);
            }
        });
        var claims = Json(writer =>
        {
            writer.WriteString("iss", ClientEmail);
            writer.WriteString("sub", subject);
            writer.WriteString("scope", scope);
            writer.WriteString("aud", TokenUri.OriginalString);
            writer.WriteNumber("iat", now.ToUnixTimeSeconds());
            writer.WriteNumber("exp", (now + lifetime).ToUnixTimeSeconds());
        });
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(claims);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(_privateKeyPem);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}

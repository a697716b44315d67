using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// <c>auth.mechanism: googleServiceAccount</c>: the JWT-bearer exchange against a token endpoint on 127.0.0.1 that checks the
/// signature with the key's public half, the token in Gmail's AUTHENTICATE XOAUTH2 (recorded transcript), and the key, the
/// assertion and the token in no diagnostic.
/// </summary>
[Trait("Category", "Unit")]
public sealed class GoogleServiceAccountTests : IDisposable
{
    private const string ClientEmail = "migrator@proj-1.iam.gserviceaccount.com";
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly TempDirectory _temp = new("gsa");

    public void Dispose()
    {
        _rsa.Dispose();
        _temp.Dispose();
    }

    private string PrivateKeyPem => _rsa.ExportPkcs8PrivateKeyPem();

    /// <summary>A key file as the Google Cloud console downloads it (a new path per call: the token cache is per key).</summary>
    private string KeyFile(string tokenUri, string type = "service_account")
    {
        var path = Path.Combine(_temp.Path, $"key-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = type,
            ["project_id"] = "proj-1",
            ["private_key_id"] = "0123abcd",
            ["private_key"] = PrivateKeyPem,
            ["client_email"] = ClientEmail,
            ["client_id"] = "112233445566778899",
            ["token_uri"] = tokenUri,
        }));
        return path;
    }

    private static ImapSettings Settings(string keyPath, string mailbox = "anna@contoso-gw.test", string? scope = null)
    {
        var endpoint = TestPlans.Endpoint(EndpointRole.Source, 993, preset: "gmail") with
        {
            Auth = new AuthDefinition { Mechanism = AuthMechanism.GoogleServiceAccount, KeyFile = SecretReference.Parse("file:" + keyPath), Scope = scope },
        };
        return ImapSettings.From(TestPlans.Context(endpoint, mailbox, "anna@contoso.test"));
    }

    [Fact]
    public async Task The_token_request_is_an_RS256_jwt_bearer_assertion_for_the_mailbox_and_the_token_is_cached_per_mailbox()
    {
        await using var endpoint = new LoopbackTokenEndpoint();
        var key = KeyFile(endpoint.TokenUri);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var token = await GoogleServiceAccountTokens.TokenAsync(Settings(key), CancellationToken.None);

        Assert.Equal("ya29.test-token", token);
        var request = Assert.Single(endpoint.Requests);
        Assert.Equal("POST /token HTTP/1.1", request["(request line)"]);
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", request["grant_type"]);
        var parts = request["assertion"].Split('.');
        Assert.Equal(3, parts.Length);
        Assert.True(_rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), "the signature does not verify with the key's public half");
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());
        Assert.Equal("0123abcd", header.RootElement.GetProperty("kid").GetString());
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var c = claims.RootElement;
        Assert.Equal(ClientEmail, c.GetProperty("iss").GetString());
        Assert.Equal("anna@contoso-gw.test", c.GetProperty("sub").GetString());
        Assert.Equal("https://mail.google.com/", c.GetProperty("scope").GetString());
        Assert.Equal(endpoint.TokenUri, c.GetProperty("aud").GetString());
        var iat = c.GetProperty("iat").GetInt64();
        Assert.InRange(iat, before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal(3600, c.GetProperty("exp").GetInt64() - iat);

        // Cached for the same mailbox; another mailbox is another subject, so another assertion.
        Assert.Equal(token, await GoogleServiceAccountTokens.TokenAsync(Settings(key), CancellationToken.None));
        Assert.Single(endpoint.Requests);
        await GoogleServiceAccountTokens.TokenAsync(Settings(key, "bert@contoso-gw.test", scope: "https://mail.google.com/ openid"), CancellationToken.None);
        Assert.Equal(2, endpoint.Requests.Count);
        using var second = JsonDocument.Parse(Base64Url.DecodeFromChars(endpoint.Requests[1]["assertion"].Split('.')[1]));
        Assert.Equal("bert@contoso-gw.test", second.RootElement.GetProperty("sub").GetString());
        Assert.Equal("https://mail.google.com/ openid", second.RootElement.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task The_token_is_sent_in_AUTHENTICATE_XOAUTH2_and_a_refused_token_is_asked_for_again()
    {
        await using var endpoint = new LoopbackTokenEndpoint();
        var settings = Settings(KeyFile(endpoint.TokenUri), "carl@contoso-gw.test");
        // Gmail's XOAUTH2 initial response: base64("user=" user ^A "auth=Bearer " token ^A ^A), sent with SASL-IR.
        var expected = Convert.ToBase64String(Encoding.ASCII.GetBytes("user=carl@contoso-gw.test\u0001auth=Bearer ya29.test-token\u0001\u0001"));
        var transcript = new ImapTranscript(GmailTranscriptTests.Login.Replace("C: AUTHENTICATE PLAIN", "C: AUTHENTICATE XOAUTH2 " + expected, StringComparison.Ordinal)
            + "\n" + GmailTranscriptTests.Logout);
        await using (var session = new ImapSession(settings, new SpoolBudget(SpoolBudget.DefaultMaxInMemoryBytes, SpoolBudget.DefaultMaxInMemoryMessageBytes))
        {
            ConnectOverride = _ => Task.FromResult<Stream>(transcript),
        })
        {
            await session.ConnectAsync(CancellationToken.None);
            Assert.Equal("AUTHENTICATE XOAUTH2 " + expected, transcript.Commands[1]);
        }

        Assert.True(transcript.Finished);

        // The server refuses the cached token (revoked): MIG0601 without the token, and the next login asks for a new one.
        var refusing = new ImapTranscript("""
            S: * OK Gimap ready
            C: CAPABILITY
            S: * CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2
            S: {tag} OK Thats all she wrote!
            C: AUTHENTICATE XOAUTH2
            S: {tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)
            """);
        var failing = new ImapSession(settings, new SpoolBudget(SpoolBudget.DefaultMaxInMemoryBytes, SpoolBudget.DefaultMaxInMemoryMessageBytes))
        {
            ConnectOverride = _ => Task.FromResult<Stream>(refusing),
        };
        var error = await Assert.ThrowsAsync<MigrationException>(() => failing.ConnectAsync(CancellationToken.None));
        Assert.Equal("MIG0601", error.Diagnostic.Code);
        AssertNoSecret(error, "ya29.test-token");
        Assert.Single(endpoint.Requests);
        await GoogleServiceAccountTokens.TokenAsync(settings, CancellationToken.None);
        Assert.Equal(2, endpoint.Requests.Count);
    }

    [Fact]
    public async Task Delegation_not_granted_is_MIG0643_with_the_admin_console_steps_and_no_secret()
    {
        await using var endpoint = new LoopbackTokenEndpoint
        {
            // Google's answer when the client ID has no domain-wide delegation for the scope.
            Answer = _ => (401, """{"error":"unauthorized_client","error_description":"Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."}"""),
        };

        var error = await Assert.ThrowsAsync<MigrationException>(() =>
            GoogleServiceAccountTokens.TokenAsync(Settings(KeyFile(endpoint.TokenUri), "dora@contoso-gw.test"), CancellationToken.None));

        Assert.Equal("MIG0643", error.Diagnostic.Code);
        Assert.False(error.Transient);
        Assert.Contains("dora@contoso-gw.test", error.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("unauthorized_client: Client is unauthorized", error.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("112233445566778899", error.Diagnostic.Hint, StringComparison.Ordinal);
        Assert.Contains("Manage Domain Wide Delegation", error.Diagnostic.Hint, StringComparison.Ordinal);
        AssertNoSecret(error, endpoint.Requests.Single()["assertion"]);
    }

    [Fact]
    public async Task A_server_error_at_the_token_endpoint_is_transient_MIG0644()
    {
        await using var endpoint = new LoopbackTokenEndpoint { Answer = _ => (503, "{}") };

        var error = await Assert.ThrowsAsync<MigrationException>(() =>
            GoogleServiceAccountTokens.TokenAsync(Settings(KeyFile(endpoint.TokenUri), "emil@contoso-gw.test"), CancellationToken.None));

        Assert.Equal("MIG0644", error.Diagnostic.Code);
        Assert.True(error.Transient);
        AssertNoSecret(error, endpoint.Requests.Single()["assertion"]);
    }

    [Fact]
    public async Task A_key_that_is_not_a_service_account_key_is_MIG0641_naming_the_reference_not_the_content()
    {
        await using var endpoint = new LoopbackTokenEndpoint();
        var userKey = KeyFile(endpoint.TokenUri, type: "authorized_user");
        var broken = Path.Combine(_temp.Path, "broken.json");
        File.WriteAllText(broken, PrivateKeyPem + "\n}");
        var badPem = Path.Combine(_temp.Path, "bad-pem.json");
        File.WriteAllText(badPem, File.ReadAllText(userKey).Replace("authorized_user", "service_account", StringComparison.Ordinal)
            .Replace("-----BEGIN PRIVATE KEY-----", "-----BEGIN NOTHING-----", StringComparison.Ordinal));

        foreach (var (path, cause) in new[] { (userKey, "'authorized_user' key"), (broken, "not JSON"), (badPem, "not an RSA private key") })
        {
            var error = await Assert.ThrowsAsync<MigrationException>(() => GoogleServiceAccountTokens.TokenAsync(Settings(path), CancellationToken.None));
            Assert.Equal("MIG0641", error.Diagnostic.Code);
            Assert.Contains("file:" + path, error.Diagnostic.Message, StringComparison.Ordinal);
            Assert.Contains(cause, error.Diagnostic.Message, StringComparison.Ordinal);
            Assert.NotNull(error.Diagnostic.Hint);
            AssertNoSecret(error, null);
        }

        Assert.Empty(endpoint.Requests);
    }

    [Fact]
    public async Task A_token_uri_that_is_not_https_is_MIG0642_and_nothing_is_sent()
    {
        foreach (var uri in new[] { "http://oauth2.example.test/token", "http://localhost:1/token", "ftp://127.0.0.1/token", "not a uri" })
        {
            var error = await Assert.ThrowsAsync<MigrationException>(() =>
                GoogleServiceAccountTokens.TokenAsync(Settings(KeyFile(uri)), CancellationToken.None));
            Assert.Equal("MIG0642", error.Diagnostic.Code);
            AssertNoSecret(error, null);
        }
    }

    [Fact]
    public void Without_a_key_file_the_mailbox_is_MIG0608()
    {
        var endpoint = TestPlans.Endpoint(EndpointRole.Source, 993, preset: "gmail") with { Auth = new AuthDefinition { Mechanism = AuthMechanism.GoogleServiceAccount } };

        var error = Assert.Throws<MigrationException>(() => ImapSettings.From(TestPlans.Context(endpoint, "fred@contoso-gw.test", "fred@contoso.test")));

        Assert.Equal("MIG0608", error.Diagnostic.Code);
        Assert.Contains("auth.keyFile", error.Diagnostic.Message, StringComparison.Ordinal);
    }

    /// <summary>Neither the private key (any line of its base64), nor the assertion, nor the token is in the diagnostic or the exception.</summary>
    private void AssertNoSecret(MigrationException error, string? secret)
    {
        var shown = string.Join('\n', error.Diagnostic.Message, error.Diagnostic.Hint, error.Message, error.ToString());
        foreach (var line in PrivateKeyPem.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line, shown, StringComparison.Ordinal);
        }

        if (secret is not null)
        {
            Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
        }
    }
}

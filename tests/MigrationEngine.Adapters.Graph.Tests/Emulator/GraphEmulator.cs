using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

/// <summary>
/// A local, in-memory Microsoft Graph for tests: HTTPS on a free 127.0.0.1 port (real Kestrel), the Entra ID token
/// endpoint for client credentials, and the subset of users, mail folders, messages, attachments, upload sessions,
/// importMime and $batch that the adapter uses, with faults injected per test. Behaviour follows Microsoft's
/// documentation pages cited on each handler.
/// </summary>
public sealed partial class GraphEmulator : IAsyncDisposable
{
    public const string TenantId = "8f1c2a5e-0d3b-4c7a-9e61-2b5f4d3c1a00";
    public const string ClientId = "3d2b1c4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";
    public const string ClientSecret = "emulator-secret-value-7Qx!";

    /// <summary>Graph answers 413 above 4 MB per request (https://learn.microsoft.com/graph/api/attachment-createuploadsession).</summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, UploadSession> _uploads = new(StringComparer.Ordinal);
    private readonly HttpClient _loopback;
    private int _ids;
    private int _mailboxConcurrency = 4;

    private GraphEmulator(WebApplication app, string caFile)
    {
        _app = app;
        CaFile = caFile;
        var handler = new SocketsHttpHandler();
        var server = EmulatorCertificates.Instance.Server;
        // The loopback client used for $batch steps pins the emulator's own certificate.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString() == server.GetCertHashString();
        _loopback = new HttpClient(handler);
    }

    public int Port { get; private set; }
    public string CaFile { get; }
    public string Root => $"https://127.0.0.1:{Port}";
    public string BaseUrl => Root + "/v1.0";
    public string AuthorityHost => Root + "/";

    public Dictionary<string, EmulatorUser> Users { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<EmulatorSku> Skus { get; } = [];
    public HashSet<string> GrantedRoles { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        "User.ReadWrite.All", "Mail.ReadWrite", "Mail-Advanced.ReadWrite.All", "Organization.Read.All", "LicenseAssignment.ReadWrite.All",
        "Contacts.ReadWrite", "Calendars.ReadWrite",
    };

    public List<FaultRule> Faults { get; } = [];

    /// <summary>Share of mailbox requests answered 429 at random (benchmark), with <see cref="RandomThrottleRetryAfter"/>.</summary>
    public double RandomThrottleRate { get; set; }
    public int RandomThrottleRetryAfter { get; set; } = 1;

    /// <summary>Registered application certificate for client assertions (certificate credentials).</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>How long a licensed new user waits for its mailbox.</summary>
    public TimeSpan MailboxProvisioningDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    public int MailboxConcurrencyLimit { get => _mailboxConcurrency; set => _mailboxConcurrency = value; }

    /// <summary>Time each mailbox request takes inside the emulator (makes concurrency observable).</summary>
    public TimeSpan ProcessingDelay { get; set; }

    /// <summary>Every request the emulator received, $batch steps included.</summary>
    public ConcurrentQueue<string> RequestLog { get; } = new();

    /// <summary>The requests clients sent (a $batch once, without the steps the emulator runs for it).</summary>
    public ConcurrentQueue<string> ClientRequestLog { get; } = new();
    public int MaxObservedConcurrency { get; private set; }
    public int ConcurrencyRejections { get; private set; }
    public int GraphRequests { get; private set; }
    public int TokenRequests { get; private set; }
    public int FaultsInjected { get; private set; }

    public static async Task<GraphEmulator> StartAsync(string workDirectory)
    {
        var certificates = EmulatorCertificates.Instance;
        var caFile = certificates.WriteCaPem(workDirectory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificates.Server));
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        // An exception inside the emulator is a bug of the emulator, not an answer of Graph: it is returned as a
        // Graph-shaped error naming the exception, so the failing test shows the cause instead of a bare 500.
        app.Use(async (context, next) =>
        {
            try
            {
                await next();
            }
            catch (UnreadableJsonException unreadable) when (!context.Response.HasStarted)
            {
                await Error(context, 400, "BadRequest", unreadable.Message);
            }
            catch (Exception exception) when (!context.Response.HasStarted)
            {
                var where = exception.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? string.Empty;
                await Error(context, 500, "EmulatorException",
                    $"{context.Request.Method} {context.Request.Path}: {exception.GetType().Name}: {exception.Message} {where}");
            }
        });
        var emulator = new GraphEmulator(app, caFile);
        emulator.Configure();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.Port = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;
        return emulator;
    }

    public async ValueTask DisposeAsync()
    {
        _loopback.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ---- Test helpers ------------------------------------------------------------------------------------------

    /// <param name="aliases">Further SMTP addresses of the mailbox (proxyAddresses smtp:...), besides the UPN as primary.</param>
    public EmulatorUser AddUser(string upn, bool withMailbox = true, params string[] aliases)
    {
        lock (_gate)
        {
            var user = new EmulatorUser { Id = NewGuid(), UserPrincipalName = upn, DisplayName = upn.Split('@')[0] };
            if (withMailbox)
            {
                user.ProxyAddresses.Add("SMTP:" + upn);
            }

            user.ProxyAddresses.AddRange(aliases.Select(a => "smtp:" + a));
            if (withMailbox)
            {
                CreateMailbox(user, DateTimeOffset.UtcNow);
            }

            Users[user.Id] = user;
            return user;
        }
    }

    public void AddFault(FaultKind kind, int count = 1, string? pathContains = null, string? method = null, int retryAfterSeconds = 1, bool batchStepsOnly = false,
        int status = 500, string code = "ErrorInternalServerError")
    {
        lock (_gate)
        {
            Faults.Add(new FaultRule
            {
                Kind = kind, Remaining = count, PathContains = pathContains, Method = method, RetryAfterSeconds = retryAfterSeconds, BatchStepsOnly = batchStepsOnly,
                Status = status, Code = code,
            });
        }
    }

    public EmulatorUser? FindUser(string idOrUpn)
    {
        lock (_gate)
        {
            return FindUserLocked(idOrUpn);
        }
    }

    public EmulatorFolder? FindFolderByPath(string upn, params string[] levels)
    {
        lock (_gate)
        {
            var user = FindUserLocked(upn)!;
            var parent = user.Folders.Values.First(f => f.WellKnownName == "msgfolderroot");
            EmulatorFolder? current = null;
            foreach (var level in levels)
            {
                current = user.Folders.Values.FirstOrDefault(f => f.ParentId == parent.Id && string.Equals(f.DisplayName, level, StringComparison.OrdinalIgnoreCase));
                if (current is null)
                {
                    return null;
                }

                parent = current;
            }

            return current;
        }
    }

    public IReadOnlyList<EmulatorMessage> MessagesIn(string upn, string folderIdOrWellKnown)
    {
        lock (_gate)
        {
            var user = FindUserLocked(upn)!;
            return [.. FindFolderLocked(user, folderIdOrWellKnown)!.Messages];
        }
    }

    public int MessageCount(string upn)
    {
        lock (_gate)
        {
            return FindUserLocked(upn)!.Folders.Values.Sum(f => f.Messages.Count);
        }
    }

    // ---- Pipeline -----------------------------------------------------------------------------------------------

    private void Configure()
    {
        _app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            RequestLog.Enqueue($"{context.Request.Method} {path}{context.Request.QueryString}");
            if (!context.Request.Headers.ContainsKey(BatchStepHeader))
            {
                ClientRequestLog.Enqueue($"{context.Request.Method} {path}{context.Request.QueryString}");
            }

            var isGraph = path.StartsWith("/v1.0/", StringComparison.Ordinal) || path.StartsWith("/beta/", StringComparison.Ordinal);
            var isUpload = path.StartsWith("/upload/", StringComparison.Ordinal);
            if (!isGraph && !isUpload)
            {
                await next();
                return;
            }

            if (isGraph)
            {
                lock (_gate)
                {
                    GraphRequests++;
                }

                var header = context.Request.Headers.Authorization.ToString();
                if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.ContainsKey(header["Bearer ".Length..]))
                {
                    await Error(context, 401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
                    return;
                }
            }

            if ((context.Request.ContentLength ?? 0) > MaxRequestBytes)
            {
                await Error(context, 413, "RequestEntityTooLarge", $"The request is larger than {MaxRequestBytes} bytes.");
                return;
            }

            var fault = TakeFault(context);
            switch (fault?.Kind)
            {
                case FaultKind.Throttle429:
                    context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    await Error(context, 429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.");
                    return;
                case FaultKind.Unavailable503:
                    context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    await Error(context, 503, "serviceNotAvailable", "The service is temporarily unavailable.");
                    return;
                case FaultKind.DropBeforeProcessing:
                    context.Abort();
                    return;
                case FaultKind.GraphError:
                    await Error(context, fault.Status, fault.Code, $"Injected {fault.Code}.");
                    return;
            }

            // Exchange Online's per-mailbox limits: 4 concurrent requests, 10,000 requests per 10 minutes, 150 MB of
            // uploads per 5 minutes, each $batch step counted as its own request
            // (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits).
            var mailbox = MailboxOfPath(path);
            if (mailbox is not null)
            {
                if (ChargeWindows(mailbox, context.Request.Method, context.Request.ContentLength ?? 0) is { } windowWait)
                {
                    context.Response.Headers.RetryAfter = windowWait.ToString(CultureInfo.InvariantCulture);
                    await Error(context, 429, "ApplicationThrottled", "Application is over its MailboxRequests or MailboxUploads limit.");
                    return;
                }

                lock (_gate)
                {
                    var count = _inFlight.GetValueOrDefault(mailbox) + 1;
                    if (count > _mailboxConcurrency)
                    {
                        ConcurrencyRejections++;
                        mailbox = null;
                    }
                    else
                    {
                        _inFlight[mailbox] = count;
                        MaxObservedConcurrency = Math.Max(MaxObservedConcurrency, count);
                    }
                }

                if (mailbox is null)
                {
                    context.Response.Headers.RetryAfter = "1";
                    await Error(context, 429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.");
                    return;
                }
            }

            // The answer is buffered so that the request counts as finished before the client sees any byte of it.
            var original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                if (mailbox is not null && ProcessingDelay > TimeSpan.Zero)
                {
                    await Task.Delay(ProcessingDelay);
                }

                await next();
            }
            finally
            {
                if (mailbox is not null)
                {
                    lock (_gate)
                    {
                        _inFlight[mailbox]--;
                    }
                }

                context.Response.Body = original;
            }

            if (fault?.Kind == FaultKind.DropAfterProcessing)
            {
                context.Abort();
                return;
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(original);
        });

        MapIdentity();
        MapDirectory();
        MapMail();
        MapPim();
        _app.MapFallback(context => Error(context, 404, "UnknownPath", $"emulator does not implement {context.Request.Method} {context.Request.Path}"));
    }

    private FaultRule? TakeFault(HttpContext context)
    {
        lock (_gate)
        {
            var path = context.Request.Path.Value ?? string.Empty;
            foreach (var rule in Faults)
            {
                if (rule.Remaining > 0 && (rule.PathContains is null || path.Contains(rule.PathContains, StringComparison.OrdinalIgnoreCase))
                    && (rule.Method is null || string.Equals(rule.Method, context.Request.Method, StringComparison.OrdinalIgnoreCase))
                    && (!rule.BatchStepsOnly || context.Request.Headers.ContainsKey(BatchStepHeader)))
                {
                    rule.Remaining--;
                    FaultsInjected++;
                    return rule;
                }
            }

            if (RandomThrottleRate > 0 && MailboxOfPath(path) is not null && Random.Shared.NextDouble() < RandomThrottleRate)
            {
                FaultsInjected++;
                return new FaultRule { Kind = FaultKind.Throttle429, RetryAfterSeconds = RandomThrottleRetryAfter };
            }

            return null;
        }
    }

    /// <summary>Outlook resources of a mailbox: /users/{id}/mailFolders..., /users/{id}/messages..., upload sessions.</summary>
    private string? MailboxOfPath(string path)
    {
        var match = MailboxPath().Match(path);
        if (!match.Success)
        {
            return null;
        }

        var key = Uri.UnescapeDataString(match.Groups[1].Value);
        lock (_gate)
        {
            return FindUserLocked(key)?.Id ?? key;
        }
    }

    [GeneratedRegex(@"^/(?:v1\.0|beta|upload)/users/([^/]+)/(?:mailFolders|messages|sessions|contactFolders|contacts|calendar|calendars|events)", RegexOptions.IgnoreCase)]
    private static partial Regex MailboxPath();

    // ---- Identity: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow ----------

    private void MapIdentity()
    {
        _app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (HttpContext context, string tenant) =>
        {
            var issuer = $"{Root}/{tenant}/v2.0";
            return Json(context, 200, new JsonObject
            {
                ["token_endpoint"] = $"{Root}/{tenant}/oauth2/v2.0/token",
                ["authorization_endpoint"] = $"{Root}/{tenant}/oauth2/v2.0/authorize",
                ["issuer"] = issuer,
                ["jwks_uri"] = $"{Root}/{tenant}/discovery/v2.0/keys",
                ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
                ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
                ["tenant_region_scope"] = "EU",
            });
        });

        _app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpContext context, string tenant) =>
        {
            lock (_gate)
            {
                TokenRequests++;
            }

            var form = await context.Request.ReadFormAsync();
            if (!string.Equals(tenant, TenantId, StringComparison.OrdinalIgnoreCase))
            {
                await TokenError(context, 400, "invalid_request", $"AADSTS90002: Tenant '{tenant}' not found.", 90002);
                return;
            }

            if (form["grant_type"] != "client_credentials" || form["client_id"] != ClientId)
            {
                await TokenError(context, 400, "unauthorized_client", $"AADSTS700016: Application with identifier '{form["client_id"]}' was not found in the directory.", 700016);
                return;
            }

            var secretOk = form.TryGetValue("client_secret", out var secret) && secret == ClientSecret;
            var assertionOk = form.TryGetValue("client_assertion", out var assertion) && ValidAssertion(assertion.ToString());
            if (!secretOk && !assertionOk)
            {
                await TokenError(context, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided.", 7000215);
                return;
            }

            var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
            _tokens[token] = form["scope"].ToString();
            await Json(context, 200, new JsonObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = 3599,
                ["ext_expires_in"] = 3599,
                ["access_token"] = token,
            });
        });
    }

    /// <summary>A client assertion is a JWT signed (RS256/PS256) with the registered certificate's key.</summary>
    private bool ValidAssertion(string jwt)
    {
        if (ClientCertificate is null)
        {
            return false;
        }

        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        using var rsa = ClientCertificate.GetRSAPublicKey()!;
        var header = JsonNode.Parse(Base64Url(parts[0]))!;
        var padding = header["alg"]?.GetValue<string>() == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url(parts[2]), HashAlgorithmName.SHA256, padding);
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }

    private static Task TokenError(HttpContext context, int status, string error, string description, int code) =>
        Json(context, status, new JsonObject
        {
            ["error"] = error,
            ["error_description"] = description,
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        });

    // ---- Directory: users, assignLicense, subscribedSkus --------------------------------------------------------

    private void MapDirectory()
    {
        // https://learn.microsoft.com/graph/api/user-get
        _app.MapGet("/v1.0/users/{user}", (HttpContext context, string user) =>
        {
            if (!HasRole("User.Read.All", "User.ReadWrite.All"))
            {
                return DirectoryDenied(context);
            }

            Answer answer;
            lock (_gate)
            {
                var (found, missing) = DirectoryUserLocked(user);
                answer = missing ?? new Answer(200, UserJson(found!));
            }

            return answer.WriteAsync(context);
        });

        // https://learn.microsoft.com/graph/api/user-post-users
        _app.MapPost("/v1.0/users", async context =>
        {
            if (!HasRole("User.ReadWrite.All"))
            {
                await DirectoryDenied(context);
                return;
            }

            var body = await ReadJson(context);
            var upn = body?["userPrincipalName"]?.GetValue<string>();
            var password = body?["passwordProfile"]?["password"]?.GetValue<string>();
            if (string.IsNullOrEmpty(upn) || string.IsNullOrEmpty(password) || body?["mailNickname"] is null || body["accountEnabled"] is null)
            {
                await Error(context, 400, "Request_BadRequest", "Property passwordProfile, mailNickname, accountEnabled and userPrincipalName are required.");
                return;
            }

            EmulatorUser user;
            lock (_gate)
            {
                if (FindUserLocked(upn) is not null)
                {
                    user = null!;
                }
                else
                {
                    user = new EmulatorUser
                    {
                        Id = NewGuid(),
                        UserPrincipalName = upn,
                        DisplayName = body["displayName"]?.GetValue<string>(),
                        UsageLocation = body["usageLocation"]?.GetValue<string>(),
                        InitialPassword = password,
                        ForceChangePassword = body["passwordProfile"]?["forceChangePasswordNextSignIn"]?.GetValue<bool>(),
                    };
                    Users[user.Id] = user;
                }
            }

            if (user is null)
            {
                await Error(context, 400, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.");
                return;
            }

            await Json(context, 201, UserJson(user));
        });

        // https://learn.microsoft.com/graph/api/user-update (the usage location, which assignLicense needs)
        _app.MapPatch("/v1.0/users/{user}", async (HttpContext context, string user) =>
        {
            if (!HasRole("User.ReadWrite.All"))
            {
                await DirectoryDenied(context);
                return;
            }

            var body = await ReadJson(context);
            Answer answer;
            lock (_gate)
            {
                var (found, missing) = DirectoryUserLocked(user);
                if (found is not null && body?["usageLocation"]?.GetValue<string>() is { } location)
                {
                    found.UsageLocation = location;
                }

                answer = missing ?? new Answer(204);
            }

            await answer.WriteAsync(context);
        });

        // https://learn.microsoft.com/graph/api/user-assignlicense
        _app.MapPost("/v1.0/users/{user}/assignLicense", async (HttpContext context, string user) =>
        {
            if (!HasRole("LicenseAssignment.ReadWrite.All", "User.ReadWrite.All"))
            {
                await DirectoryDenied(context);
                return;
            }

            var body = await ReadJson(context);
            Answer answer;
            lock (_gate)
            {
                answer = AssignLicenseLocked(user, body);
            }

            await answer.WriteAsync(context);
        });

        // https://learn.microsoft.com/graph/api/subscribedsku-list
        _app.MapGet("/v1.0/subscribedSkus", context =>
        {
            if (!HasRole("Organization.Read.All"))
            {
                return DirectoryDenied(context);
            }

            lock (_gate)
            {
                var array = new JsonArray();
                foreach (var sku in Skus)
                {
                    array.Add(new JsonObject
                    {
                        ["skuId"] = sku.SkuId.ToString(),
                        ["skuPartNumber"] = sku.SkuPartNumber,
                        ["consumedUnits"] = sku.Consumed,
                        ["capabilityStatus"] = "Enabled",
                        ["prepaidUnits"] = new JsonObject { ["enabled"] = sku.Enabled, ["suspended"] = 0, ["warning"] = 0, ["lockedOut"] = 0 },
                    });
                }

                return Json(context, 200, new JsonObject { ["value"] = array });
            }
        });

        MapUserQueries();
        MapBatch();
    }

    private Answer AssignLicenseLocked(string user, JsonNode? body)
    {
        var (found, missing) = DirectoryUserLocked(user);
        if (found is null)
        {
            return missing!;
        }

        if (string.IsNullOrEmpty(found.UsageLocation))
        {
            return Answer.Fail(400, "Request_BadRequest", "License assignment cannot be done for user with invalid usage location.");
        }

        var skus = new List<EmulatorSku>();
        foreach (var item in body?["addLicenses"]?.AsArray() ?? [])
        {
            var skuId = Guid.Parse(item!["skuId"]!.GetValue<string>());
            var sku = Skus.FirstOrDefault(s => s.SkuId == skuId);
            if (sku is null || sku.Enabled - sku.Consumed <= 0)
            {
                // The request is refused whole: no licence of it is assigned.
                return Answer.Fail(400, "Request_BadRequest", $"License {skuId} does not correspond to a valid company License or has no available units.");
            }

            skus.Add(sku);
        }

        foreach (var sku in skus)
        {
            sku.Consumed++;
            found.Licenses.Add(sku.SkuId);
        }

        if (found.MailboxReadyAt is null)
        {
            CreateMailbox(found, DateTimeOffset.UtcNow + MailboxProvisioningDelay);
        }

        return new Answer(200, UserJson(found));
    }

    // ---- Mail ---------------------------------------------------------------------------------------------------

    private void MapMail()
    {
        MapFolderProperties();
        // https://learn.microsoft.com/graph/api/mailfolder-get (well-known names: https://learn.microsoft.com/graph/api/resources/mailfolder)
        _app.MapGet("/v1.0/users/{user}/mailFolders/{folder}", (HttpContext context, string user, string folder) =>
            WithMailbox(context, user, (mailbox) =>
            {
                var found = FindFolderLocked(mailbox, folder);
                return found is null ? FolderMissing(folder) : FolderWithExpand(mailbox, found, context.Request.Query["$expand"].ToString());
            }));

        // https://learn.microsoft.com/graph/api/mailfolder-list-childfolders ($filter displayName eq '...')
        _app.MapGet("/v1.0/users/{user}/mailFolders/{folder}/childFolders", (HttpContext context, string user, string folder) =>
            WithMailbox(context, user, mailbox =>
            {
                var parent = FindFolderLocked(mailbox, folder);
                if (parent is null)
                {
                    return FolderMissing(folder);
                }

                var children = WithDisplayNameFilter(context, mailbox.Folders.Values.Where(f => f.ParentId == parent.Id), f => f.DisplayName, out var refused);
                if (refused is not null)
                {
                    return refused;
                }

                // Pages of $top (default 10, as Graph's collections), with an @odata.nextLink to the rest.
                var top = int.TryParse(context.Request.Query["$top"], out var t) ? Math.Clamp(t, 1, 1000) : 10;
                var skip = int.TryParse(context.Request.Query["$skip"], out var k) ? k : 0;
                var all = children.ToList();
                var result = new JsonObject { ["value"] = new JsonArray([.. all.Skip(skip).Take(top).Select(f => (JsonNode)FolderJson(mailbox, f))]) };
                if (skip + top < all.Count)
                {
                    result["@odata.nextLink"] = $"{BaseUrl}/users/{mailbox.Id}/mailFolders/{parent.Id}/childFolders?%24top={top}&%24skip={skip + top}";
                }

                return new Answer(200, result);
            }));

        // https://learn.microsoft.com/graph/api/mailfolder-post-childfolders (409 ErrorFolderExists on a duplicate name)
        _app.MapPost("/v1.0/users/{user}/mailFolders/{folder}/childFolders", async (HttpContext context, string user, string folder) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox =>
            {
                var parent = FindFolderLocked(mailbox, folder);
                if (parent is null)
                {
                    return FolderMissing(folder);
                }

                var name = body?["displayName"]?.GetValue<string>();
                if (string.IsNullOrWhiteSpace(name))
                {
                    return Answer.Fail(400, "ErrorInvalidRequest", "displayName is required.");
                }

                if (mailbox.Folders.Values.Any(f => f.ParentId == parent.Id && string.Equals(f.DisplayName, name, StringComparison.OrdinalIgnoreCase)))
                {
                    return Answer.Fail(409, "ErrorFolderExists", "A folder with the specified name already exists.");
                }

                var created = new EmulatorFolder { Id = NewId("F"), DisplayName = name, ParentId = parent.Id };
                mailbox.Folders[created.Id] = created;
                return new Answer(201, FolderJson(mailbox, created));
            });
        });

        // https://learn.microsoft.com/graph/api/mailfolder-list-messages ($select, $top, $skip paging, $filter, $expand extended properties)
        _app.MapGet("/v1.0/users/{user}/mailFolders/{folder}/messages", (HttpContext context, string user, string folder) =>
            WithMailbox(context, user, mailbox =>
            {
                var source = FindFolderLocked(mailbox, folder);
                if (source is null)
                {
                    return FolderMissing(folder);
                }

                IEnumerable<EmulatorMessage> messages = source.Messages;
                var filter = context.Request.Query["$filter"].ToString();
                if (filter.Length > 0)
                {
                    var match = MessageIdFilter().Match(filter);
                    if (!match.Success)
                    {
                        return Answer.Fail(400, "ErrorInvalidUrlQueryFilter", $"The query filter '{filter}' is not supported.");
                    }

                    var id = match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal);
                    messages = messages.Where(m => string.Equals(m.InternetMessageId, id, StringComparison.Ordinal));
                }

                var top = int.TryParse(context.Request.Query["$top"], out var t) ? Math.Clamp(t, 1, 1000) : 10;
                var skip = int.TryParse(context.Request.Query["$skip"], out var s) ? s : 0;
                var all = messages.ToList();
                var page = all.Skip(skip).Take(top).ToList();
                var select = context.Request.Query["$select"].ToString();
                var expand = context.Request.Query["$expand"].ToString();
                var result = new JsonObject
                {
                    ["@odata.context"] = $"{BaseUrl}/$metadata#users('{mailbox.Id}')/mailFolders('{source.Id}')/messages",
                    ["value"] = new JsonArray([.. page.Select(m => (JsonNode)MessageJson(m, select, expand))]),
                };
                if (skip + top < all.Count)
                {
                    var query = new List<string> { $"%24top={top}", $"%24skip={skip + top}" };
                    if (select.Length > 0)
                    {
                        query.Add("%24select=" + Uri.EscapeDataString(select));
                    }

                    if (expand.Length > 0)
                    {
                        query.Add("%24expand=" + Uri.EscapeDataString(expand));
                    }

                    result["@odata.nextLink"] = $"{BaseUrl}/users/{mailbox.Id}/mailFolders/{source.Id}/messages?{string.Join('&', query)}";
                }

                return new Answer(200, result);
            }));

        // https://learn.microsoft.com/graph/api/mailfolder-post-messages: a draft unless PR_MESSAGE_FLAGS is set at creation
        // (https://learn.microsoft.com/graph/api/resources/singlevaluelegacyextendedproperty).
        _app.MapPost("/v1.0/users/{user}/mailFolders/{folder}/messages", async (HttpContext context, string user, string folder) =>
        {
            var body = await ReadJson(context) as JsonObject;
            CreateBodies.Enqueue(body?.ToJsonString() ?? string.Empty);
            await WithMailbox(context, user, mailbox =>
            {
                var target = FindFolderLocked(mailbox, folder);
                if (target is null)
                {
                    return FolderMissing(folder);
                }

                if (body is null)
                {
                    return Answer.Fail(400, "ErrorInvalidRequest", "The request body is not a message.");
                }

                var message = CreateJsonMessage(target, body);
                return new Answer(201, MessageJson(message, string.Empty, string.Empty));
            });
        });

        // https://learn.microsoft.com/graph/api/mailfolder-importmime?view=graph-rest-beta: text/plain body = base64 MIME; 201 with a non-draft message.
        _app.MapPost("/beta/users/{user}/mailFolders/{folder}/importMime", async (HttpContext context, string user, string folder) =>
        {
            if (!HasRole("Mail-Advanced.ReadWrite.All"))
            {
                await Error(context, 403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
                return;
            }

            using var reader = new StreamReader(context.Request.Body, Encoding.ASCII);
            var text = await reader.ReadToEndAsync();
            byte[] mime;
            try
            {
                mime = Convert.FromBase64String(text.Trim());
            }
            catch (FormatException)
            {
                await Error(context, 400, "ErrorMimeContentInvalidBase64String", "The MIME content is not a valid base64 string.");
                return;
            }

            await WithMailbox(context, user, mailbox =>
            {
                var target = FindFolderLocked(mailbox, folder);
                if (target is null)
                {
                    return FolderMissing(folder);
                }

                var message = ImportMimeMessage(target, mime);
                return new Answer(201, MessageJson(message, string.Empty, string.Empty));
            });
        });

        // https://learn.microsoft.com/graph/api/message-update
        _app.MapPatch("/v1.0/users/{user}/messages/{id}", async (HttpContext context, string user, string id) =>
        {
            var body = await ReadJson(context) as JsonObject;
            PatchBodies.Enqueue(body?.ToJsonString() ?? string.Empty);
            await WithMailbox(context, user, mailbox =>
            {
                var message = FindMessageLocked(mailbox, id);
                if (message is null || body is null)
                {
                    return Answer.Fail(404, "ErrorItemNotFound", "The specified object was not found in the store.");
                }

                foreach (var (name, value) in body)
                {
                    if (name == "singleValueExtendedProperties")
                    {
                        foreach (var property in value!.AsArray())
                        {
                            message.ExtendedProperties[property!["id"]!.GetValue<string>()] = property["value"]!.GetValue<string>();
                        }
                    }
                    else if (name is "isRead" or "flag" or "categories" or "importance")
                    {
                        message.Properties[name] = value?.DeepClone();
                    }
                }

                return new Answer(200, MessageJson(message, string.Empty, string.Empty));
            });
        });

        // https://learn.microsoft.com/graph/api/message-delete
        _app.MapDelete("/v1.0/users/{user}/messages/{id}", (HttpContext context, string user, string id) =>
            WithMailbox(context, user, mailbox =>
            {
                var message = FindMessageLocked(mailbox, id);
                if (message is null)
                {
                    return Answer.Fail(404, "ErrorItemNotFound", "The specified object was not found in the store.");
                }

                mailbox.Folders[message.FolderId].Messages.Remove(message);
                return new Answer(204);
            }));

        // https://learn.microsoft.com/graph/api/message-post-attachments (under 3 MB)
        _app.MapPost("/v1.0/users/{user}/messages/{id}/attachments", async (HttpContext context, string user, string id) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox =>
            {
                var message = FindMessageLocked(mailbox, id);
                if (message is null || body is null)
                {
                    return Answer.Fail(404, "ErrorItemNotFound", "The specified object was not found in the store.");
                }

                var attachment = ToAttachment(body);
                message.Attachments.Add(attachment);
                message.Properties["hasAttachments"] = true;
                return new Answer(201, new JsonObject { ["id"] = attachment.Id, ["name"] = attachment.Name, ["size"] = attachment.Content.Length });
            });
        });

        // https://learn.microsoft.com/graph/api/attachment-createuploadsession (3 MB to 150 MB)
        _app.MapPost("/v1.0/users/{user}/messages/{id}/attachments/createUploadSession", async (HttpContext context, string user, string id) =>
        {
            var body = await ReadJson(context);
            await WithMailbox(context, user, mailbox =>
            {
                var message = FindMessageLocked(mailbox, id);
                var item = body?["AttachmentItem"] ?? body?["attachmentItem"];
                if (message is null || item is null)
                {
                    return Answer.Fail(404, "ErrorItemNotFound", "The specified object was not found in the store.");
                }

                var size = item["size"]!.GetValue<long>();
                if (size > 150L * 1024 * 1024)
                {
                    return Answer.Fail(400, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize", "The attachment is larger than 150 MB.");
                }

                var session = new UploadSession
                {
                    Id = NewId("S"),
                    Token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
                    UserId = mailbox.Id,
                    MessageId = message.Id,
                    Name = item["name"]?.GetValue<string>() ?? "attachment",
                    ContentType = item["contentType"]?.GetValue<string>() ?? "application/octet-stream",
                    IsInline = item["isInline"]?.GetValue<bool>() ?? false,
                    Buffer = new byte[size],
                };
                _uploads[session.Id] = session;
                return new Answer(201, new JsonObject
                {
                    ["@odata.context"] = $"{BaseUrl}/$metadata#microsoft.graph.uploadSession",
                    ["uploadUrl"] = $"{Root}/upload/users/{mailbox.Id}/sessions/{session.Id}?authtoken={session.Token}",
                    ["expirationDateTime"] = DateTimeOffset.UtcNow.AddHours(1).ToString("o", CultureInfo.InvariantCulture),
                    ["nextExpectedRanges"] = new JsonArray("0-"),
                });
            });
        });

        // https://learn.microsoft.com/graph/outlook-large-attachments: PUT byte ranges, no Authorization header.
        _app.MapPut("/upload/users/{user}/sessions/{session}", async (HttpContext context, string user, string session) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var chunk = buffer.ToArray();
            Answer answer;
            lock (_gate)
            {
                answer = ReceiveChunkLocked(context, session, chunk);
            }

            await answer.WriteAsync(context);
        });
    }

    private Answer ReceiveChunkLocked(HttpContext context, string session, byte[] chunk)
    {
        if (!_uploads.TryGetValue(session, out var upload) || context.Request.Query["authtoken"] != upload.Token)
        {
            return Answer.Fail(404, "ErrorItemNotFound", "The upload session does not exist or expired.");
        }

        if (context.Request.Headers.Authorization.Count > 0)
        {
            return Answer.Fail(400, "InvalidAuthenticationToken", "Do not send an Authorization header to an upload URL.");
        }

        if (!ContentRangeHeaderValue.TryParse(context.Request.Headers.ContentRange.ToString(), out var range)
            || range.From is not { } from || range.To is not { } to || range.Length != upload.Buffer.Length
            || to - from + 1 != chunk.Length || from > upload.Received)
        {
            return Answer.Fail(416, "InvalidRange", $"Expected bytes {upload.Received}-.");
        }

        // Ranges of at most 4 MB (attachment-createuploadsession), each but the last a multiple of 320 KiB (upload sessions' rule).
        if (chunk.Length > 4 * 1024 * 1024 || (to + 1 < upload.Buffer.Length && chunk.Length % (320 * 1024) != 0))
        {
            return Answer.Fail(400, "InvalidRange", $"A range of {chunk.Length} bytes: ranges are at most 4 MB and, but for the last, a multiple of 320 KiB.");
        }

        chunk.CopyTo(upload.Buffer, (int)from);
        upload.Received = Math.Max(upload.Received, to + 1);
        if (upload.Received < upload.Buffer.Length)
        {
            return new Answer(200, new JsonObject
            {
                ["expirationDateTime"] = DateTimeOffset.UtcNow.AddHours(1).ToString("o", CultureInfo.InvariantCulture),
                ["nextExpectedRanges"] = new JsonArray($"{upload.Received}-"),
            });
        }

        var mailbox = FindUserLocked(upload.UserId)!;
        if (upload.EventId is not null)
            return CompleteEventUploadLocked(mailbox, upload, session);
        var message = FindMessageLocked(mailbox, upload.MessageId!)!;
        var attachment = new EmulatorAttachment(NewId("A"), upload.Name, upload.ContentType, upload.Buffer, upload.IsInline, true);
        message.Attachments.Add(attachment);
        message.Properties["hasAttachments"] = true;
        _uploads.Remove(session);
        return new Answer(201, Location: $"{BaseUrl}/users/{mailbox.Id}/messages/{message.Id}/attachments/{attachment.Id}");
    }

    private EmulatorMessage CreateJsonMessage(EmulatorFolder folder, JsonObject body)
    {
        var message = new EmulatorMessage { Id = NewId("M"), FolderId = folder.Id, Properties = [] };
        foreach (var (name, value) in body)
        {
            if (name == "singleValueExtendedProperties")
            {
                foreach (var property in value!.AsArray())
                {
                    message.ExtendedProperties[property!["id"]!.GetValue<string>()] = property["value"]!.GetValue<string>();
                }
            }
            else if (name == "attachments")
            {
                foreach (var attachment in value!.AsArray())
                {
                    message.Attachments.Add(ToAttachment(attachment!));
                }
            }
            else if (!name.StartsWith('@'))
            {
                message.Properties[name] = value?.DeepClone();
            }
        }

        // PR_MESSAGE_FLAGS: MSGFLAG_READ 0x1, MSGFLAG_UNSENT 0x8 (draft). Without it, Graph creates a draft.
        var flags = message.ExtendedProperties.TryGetValue("Integer 0x0E07", out var raw) ? int.Parse(raw, CultureInfo.InvariantCulture) : 0x8;
        message.Properties["isDraft"] = (flags & 0x8) != 0;
        message.Properties["isRead"] = body["isRead"]?.GetValue<bool>() ?? (flags & 0x1) != 0;
        message.Properties["receivedDateTime"] = message.ExtendedProperties.TryGetValue("SystemTime 0x0E06", out var received)
            ? received : DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        message.Properties["sentDateTime"] = message.ExtendedProperties.TryGetValue("SystemTime 0x0039", out var sent) ? sent : null;
        message.Properties["hasAttachments"] = message.Attachments.Count > 0;
        message.Properties["internetMessageId"] ??= $"<{Guid.NewGuid():N}@emulator.prod.outlook.com>";
        folder.Messages.Add(message);
        return message;
    }

    private EmulatorMessage ImportMimeMessage(EmulatorFolder folder, byte[] raw)
    {
        using var stream = new MemoryStream(raw, writable: false);
        var mime = MimeMessage.Load(stream);
        var date = mime.Date == DateTimeOffset.MinValue ? DateTimeOffset.UtcNow : mime.Date;
        var message = new EmulatorMessage
        {
            Id = NewId("M"),
            FolderId = folder.Id,
            Mime = raw,
            Properties = new JsonObject
            {
                ["subject"] = mime.Subject ?? string.Empty,
                // Exchange stamps an id on messages that have none.
                ["internetMessageId"] = string.IsNullOrEmpty(mime.MessageId) ? $"<{Guid.NewGuid():N}@emulator.prod.outlook.com>" : "<" + mime.MessageId + ">",
                ["sentDateTime"] = date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["receivedDateTime"] = date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["isDraft"] = false,
                ["isRead"] = false,
                ["hasAttachments"] = mime.Attachments.Any(),
            },
        };
        if (mime.From.Mailboxes.FirstOrDefault() is { } from)
        {
            message.Properties["from"] = new JsonObject { ["emailAddress"] = new JsonObject { ["address"] = from.Address, ["name"] = from.Name } };
        }

        folder.Messages.Add(message);
        return message;
    }

    private EmulatorAttachment ToAttachment(JsonNode body) => new(
        NewId("A"),
        body["name"]?.GetValue<string>() ?? "attachment",
        body["contentType"]?.GetValue<string>() ?? "application/octet-stream",
        Convert.FromBase64String(body["contentBytes"]?.GetValue<string>() ?? string.Empty),
        body["isInline"]?.GetValue<bool>() ?? false,
        false);

    [GeneratedRegex(@"^\s*displayName\s+eq\s+'((?:[^']|'')*)'\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex DisplayNameFilter();

    [GeneratedRegex(@"^\s*internetMessageId\s+eq\s+'((?:[^']|'')*)'\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex MessageIdFilter();

    [GeneratedRegex(@"singleValueExtendedProperties\(\$filter=id eq '((?:[^']|'')*)'\)", RegexOptions.IgnoreCase)]
    private static partial Regex ExpandFilter();

    // ---- Helpers ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Runs a mailbox request's handler under the lock and writes its answer after the lock is released, so no write to
    /// the response is ever left running (or racing the next request) while the model is being changed.
    /// </summary>
    private Task WithMailbox(HttpContext context, string user, Func<EmulatorUser, Answer> action, string? role = null)
    {
        if (role is null ? !HasRole("Mail.ReadWrite", "Mail-Advanced.ReadWrite.All") : !HasRole(role))
        {
            return Error(context, 403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
        }

        Answer answer;
        lock (_gate)
        {
            var found = FindUserLocked(user);
            if (found is null)
            {
                answer = Answer.Fail(404, "ErrorInvalidUser", $"The requested user '{user}' is invalid.");
            }
            else if (found.MailboxReadyAt is null || found.MailboxReadyAt > DateTimeOffset.UtcNow)
            {
                answer = Answer.Fail(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
            }
            else
            {
                answer = action(found);
            }
        }

        return answer.WriteAsync(context);
    }

    private bool HasRole(params string[] anyOf)
    {
        lock (_gate)
        {
            return anyOf.Any(GrantedRoles.Contains);
        }
    }

    private static Task DirectoryDenied(HttpContext context) =>
        Error(context, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

    private static Answer FolderMissing(string folder) =>
        Answer.Fail(404, "ErrorItemNotFound", $"The specified folder '{folder}' was not found in the store.");

    private void CreateMailbox(EmulatorUser user, DateTimeOffset readyAt)
    {
        user.MailboxReadyAt = readyAt;
        var root = new EmulatorFolder { Id = NewId("F"), DisplayName = "Top of Information Store", WellKnownName = "msgfolderroot" };
        user.Folders[root.Id] = root;
        foreach (var (wellKnown, name) in new[]
        {
            ("inbox", "Inbox"), ("sentitems", "Sent Items"), ("drafts", "Drafts"), ("deleteditems", "Deleted Items"),
            ("junkemail", "Junk Email"), ("archive", "Archive"),
        })
        {
            var folder = new EmulatorFolder { Id = NewId("F"), DisplayName = name, ParentId = root.Id, WellKnownName = wellKnown };
            user.Folders[folder.Id] = folder;
        }
    }

    private EmulatorUser? FindUserLocked(string idOrUpn) =>
        Users.TryGetValue(idOrUpn, out var byId) ? byId : Users.Values.FirstOrDefault(u => string.Equals(u.UserPrincipalName, idOrUpn, StringComparison.OrdinalIgnoreCase));

    private static EmulatorFolder? FindFolderLocked(EmulatorUser user, string idOrWellKnown) =>
        user.Folders.TryGetValue(idOrWellKnown, out var byId)
            ? byId
            : user.Folders.Values.FirstOrDefault(f => string.Equals(f.WellKnownName, idOrWellKnown, StringComparison.OrdinalIgnoreCase));

    private static EmulatorMessage? FindMessageLocked(EmulatorUser user, string id) =>
        user.Folders.Values.SelectMany(f => f.Messages).FirstOrDefault(m => m.Id == id);

    private JsonObject UserJson(EmulatorUser user) => new()
    {
        ["@odata.context"] = $"{BaseUrl}/$metadata#users/$entity",
        ["id"] = user.Id,
        ["userPrincipalName"] = user.UserPrincipalName,
        ["mail"] = MailOf(user),
        ["proxyAddresses"] = new JsonArray([.. user.ProxyAddresses.Select(a => (JsonNode?)a)]),
        ["displayName"] = user.DisplayName,
        ["usageLocation"] = user.UsageLocation,
        ["assignedLicenses"] = new JsonArray([.. user.Licenses.Select(id => (JsonNode?)new JsonObject { ["skuId"] = id.ToString(), ["disabledPlans"] = new JsonArray() })]),
    };

    private static JsonObject FolderJson(EmulatorUser user, EmulatorFolder folder) => new()
    {
        ["id"] = folder.Id,
        ["displayName"] = folder.DisplayName,
        ["parentFolderId"] = folder.ParentId,
        ["childFolderCount"] = user.Folders.Values.Count(f => f.ParentId == folder.Id),
        ["totalItemCount"] = folder.Messages.Count,
        ["unreadItemCount"] = folder.Messages.Count(m => !m.IsRead),
    };

    private static JsonObject MessageJson(EmulatorMessage message, string select, string expand)
    {
        var json = new JsonObject { ["id"] = message.Id };
        var fields = select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var (name, value) in message.Properties)
        {
            if (fields.Length == 0 || fields.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                json[name] = value?.DeepClone();
            }
        }

        var match = ExpandFilter().Match(expand);
        if (match.Success)
        {
            var id = match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal);
            var array = new JsonArray();
            if (message.ExtendedProperties.TryGetValue(id, out var value))
            {
                array.Add(new JsonObject { ["id"] = id, ["value"] = value });
            }

            json["singleValueExtendedProperties"] = array;
        }

        return json;
    }

    /// <summary>
    /// The request's JSON body, read strictly: a payload Graph cannot read (malformed, or naming a property twice, which
    /// OData JSON forbids) is answered 400 BadRequest by the middleware, as Graph does, never half-read.
    /// </summary>
    private static async Task<JsonNode?> ReadJson(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException exception)
        {
            throw new UnreadableJsonException("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format. "
                + exception.Message);
        }
    }

    private sealed class UnreadableJsonException(string message) : Exception(message);

    /// <summary>An answer decided under the lock and written after it is released (writes are awaited, never fired and forgotten).</summary>
    private sealed record Answer(int Status, JsonNode? Body = null, string? Location = null, byte[]? Bytes = null, string? ContentType = null)
    {
        public static Answer Fail(int status, string code, string message) => new(status, ErrorBody(code, message));

        public async Task WriteAsync(HttpContext context)
        {
            if (Location is not null)
            {
                context.Response.Headers.Location = Location;
            }

            if (Bytes is not null)
            {
                context.Response.StatusCode = Status;
                context.Response.ContentType = ContentType ?? "application/octet-stream";
                await context.Response.Body.WriteAsync(Bytes);
                return;
            }

            if (Body is null)
            {
                context.Response.StatusCode = Status;
                return;
            }

            await Json(context, Status, Body);
        }
    }

    /// <summary>The user a directory request names, or Graph's 404 for an unknown one (call under the lock).</summary>
    private (EmulatorUser? User, Answer? Missing) DirectoryUserLocked(string user) =>
        FindUserLocked(user) is { } found
            ? (found, null)
            : (null, Answer.Fail(404, "Request_ResourceNotFound", $"Resource '{user}' does not exist or one of its queried reference-property objects are not present."));

    private static async Task Json(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>Graph's error body: https://learn.microsoft.com/graph/errors.</summary>
    private static Task Error(HttpContext context, int status, string code, string message) => Json(context, status, ErrorBody(code, message));

    private static JsonObject ErrorBody(string code, string message) =>
        new()
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject { ["request-id"] = Guid.NewGuid().ToString(), ["date"] = DateTimeOffset.UtcNow.ToString("s", CultureInfo.InvariantCulture) },
            },
        };

    private static string NewGuid() => Guid.NewGuid().ToString();

    private string NewId(string prefix) => prefix + "AAMkAD" + Interlocked.Increment(ref _ids).ToString("D8", CultureInfo.InvariantCulture);
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Dav;

/// <summary>One answer of the server: status, body (text, capped) and the headers a DAV client reads.</summary>
internal sealed record DavAnswer(int Status, string Body, Uri RequestUri, string? ETag, string? Location)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>
/// The HTTP side of a DAV session: Basic authentication (RFC 7617) on every request to the endpoint's own origin, redirects
/// followed only within that origin (RFC 6764 section 5 lets a well-known URI redirect; a redirect elsewhere could take
/// the password along), a cap on requests in flight per origin, and failures turned into coded diagnostics. The
/// Authorization header is built per request and never logged; messages name the user, never the password.
/// </summary>
internal sealed class DavHttp : IDisposable
{
    /// <summary>A multiget of a batch of contacts with photos stays far below this; a server streaming more is cut off.</summary>
    public const int MaxBodyBytes = 64 * 1024 * 1024;

    private const int MaxRedirects = 5;

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private readonly HttpClient _client;
    private readonly SemaphoreSlim _gate;
    private string? _authorization;
    private volatile string? _certificateProblem;

    public DavHttp(DavSettings settings)
    {
        Settings = settings;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = settings.MaxConnections,
            ConnectTimeout = TimeSpan.FromSeconds(settings.Context.Endpoint.Timeouts.ConnectSeconds),
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        };
        // Core's one rule for server certificates; the reason of a refusal is kept for the diagnostic.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            _certificateProblem = ServerCertificates.Problem(certificate, chain, errors, settings.TrustedAuthorities, settings.BaseUrl.Host, settings.Context.Endpoint.CaFile);
            return _certificateProblem is null;
        };

        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _gate = Gates.GetOrAdd($"{settings.Origin}|{settings.EndpointName}", _ => new SemaphoreSlim(settings.MaxConnections));
    }

    public DavSettings Settings { get; }

    /// <summary>Requests sent (tests and reports).</summary>
    public long RequestsSent => Interlocked.Read(ref _requestsSent);

    private long _requestsSent;

    /// <summary>
    /// Sends one request. 401 (MIG1670), 5xx and 429 (MIG1672, transient), timeouts (MIG1673, transient) and unreachable
    /// servers (MIG1671, transient) throw; any other status is returned for the caller to judge.
    /// </summary>
    public async Task<DavAnswer> SendAsync(DavRequest request, CancellationToken cancellationToken)
    {
        var uri = request.Uri;
        for (var hop = 0; ; hop++)
        {
            CheckOrigin(uri, request.Uri);
            var answer = await SendWithReconnectAsync(request with { Uri = uri }, cancellationToken);
            if (!request.FollowRedirects || answer.Status is not (301 or 302 or 303 or 307 or 308) || answer.Location is null || hop == MaxRedirects)
            {
                return answer;
            }

            uri = new Uri(uri, answer.Location);
        }
    }

    /// <summary>
    /// A connection the server closed without answering (HttpIOException ResponseEnded: HTTP/1.0 servers such as Radicale's
    /// close every connection, and a pooled one is sometimes taken as it closes) is tried again on a new one. Every
    /// request here may be repeated: reads, MKCOL/MKCALENDAR (405 when done) and conditional PUTs.
    /// </summary>
    private async Task<DavAnswer> SendWithReconnectAsync(DavRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(request, cancellationToken);
            }
            catch (MigrationException ex) when (attempt < 3 && ex.InnerException is HttpRequestException { InnerException: HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } })
            {
                Settings.Context.Logger.Debug("DAV server {Origin} closed the connection without answering {What}; sending it again", Settings.Origin, request.What);
            }
        }
    }

    private void CheckOrigin(Uri uri, Uri requested)
    {
        if (!string.Equals(uri.GetLeftPart(UriPartial.Authority), Settings.Origin, StringComparison.OrdinalIgnoreCase))
        {
            throw new MigrationException(Diagnose.DavRedirectRefused(Settings.Context.Endpoint.Location, Settings.Origin, requested.AbsolutePath,
                uri.GetLeftPart(UriPartial.Authority), Settings.Address,
                    hint: "give the url the redirect points to in the plan, if that server is the right one"));
        }
    }

    private async Task<DavAnswer> SendOnceAsync(DavRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(request.Method, request.Uri);
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Authorization());
        if (request.Depth is { } depth)
        {
            message.Headers.TryAddWithoutValidation("Depth", depth);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Settings.RequestTimeout);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Increment(ref _requestsSent);
            using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var body = await ReadCappedAsync(response.Content, timeout.Token);
            var answer = new DavAnswer(status, body, request.Uri, response.Headers.ETag?.ToString(), response.Headers.Location?.OriginalString);
            return Judge(request, answer, response.Headers.RetryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MigrationException(Diagnose.DavTimeout(Settings.Context.Endpoint.Location,
                Settings.Origin, request.What, Settings.Address, (int)Settings.RequestTimeout.TotalSeconds,
                    hint: "a slow server: raise timeouts.command"))
            { Transient = true };
        }
        catch (InvalidDataException ex)
        {
            throw new MigrationException(Diagnose.DavAnswerInvalid(Settings.Context.Endpoint.Location,
                Settings.Origin, request.What, Settings.Address, ex.Message));
        }
        catch (HttpRequestException ex)
        {
            // The message names the host and the socket error; the URL never carries credentials (DavEndpointUrl).
            throw Unreachable(_certificateProblem ?? ex.InnerException?.Message ?? ex.Message, ex,
                transient: ex.InnerException is not System.Security.Authentication.AuthenticationException);
        }
        catch (IOException ex)
        {
            // The connection broke while the answer's body was read (HttpIOException): the same transport failure, after the headers.
            throw Unreachable(ex.Message, ex, transient: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A transport failure (no connection, a dropped one, TLS refused) as the adapter's own transient or permanent diagnostic.</summary>
    private MigrationException Unreachable(string reason, Exception ex, bool transient) =>
        new(Diagnose.DavUnreachable(Settings.Context.Endpoint.Location, Settings.Origin, Settings.EndpointName, Settings.Address, reason,
            hint: "check the url, the network and, for https, the certificate (caFile)"), ex)
        { Transient = transient };

    private DavAnswer Judge(DavRequest request, DavAnswer answer, RetryConditionHeaderValue? retryAfter)
    {
        if (answer.Status == 401)
        {
            throw new MigrationException(Diagnose.DavLoginRefused(Settings.Context.Mailbox.Location,
                Settings.Origin, Settings.UserName, Settings.Address, Settings.EndpointName, answer.Status,
                    hint: "check the user name and the password the plan refers to (auth.username may use {mailbox})"));
        }

        if (answer.Status is 429 or >= 500)
        {
            var wait = retryAfter?.Delta ?? (retryAfter?.Date is { } at ? at - DateTimeOffset.UtcNow : null);
            throw new MigrationException(Diagnose.DavServerBusy(Settings.Context.Endpoint.Location,
                Settings.Origin, answer.Status, request.What, Settings.Address))
            {
                Transient = true,
                RetryAfter = wait is { } w && w > TimeSpan.Zero ? w : null,
            };
        }

        return answer;
    }

    private string Authorization() =>
        _authorization ??= Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Settings.UserName}:{Settings.ResolvePassword()}"));

    private static async Task<string> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new InvalidDataException($"the answer is larger than {MaxBodyBytes / (1024 * 1024)} MB");
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>One DAV request; <see cref="What"/> names it in messages ("PROPFIND current-user-principal").</summary>
internal sealed record DavRequest(HttpMethod Method, Uri Uri, string What)
{
    public static readonly HttpMethod Propfind = new("PROPFIND");
    public static readonly HttpMethod Report = new("REPORT");
    public static readonly HttpMethod Mkcol = new("MKCOL");
    public static readonly HttpMethod Mkcalendar = new("MKCALENDAR");

    public string? Depth { get; init; }
    public string? Body { get; init; }
    public string ContentType { get; init; } = "application/xml; charset=utf-8";
    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];
    public bool FollowRedirects { get; init; }
}

using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Imap;

/// <summary>
/// One authenticated IMAP connection for one mailbox, used by one operation at a time. Reads (listing, fetching) that
/// fail because the connection dropped are retried on a fresh connection; writes are not retried here (see ImapTarget).
/// Every failure leaves as a <see cref="MigrationException"/> naming the mailbox and server, never a secret.
/// </summary>
internal sealed partial class ImapSession(ImapSettings settings, SpoolBudget budget) : IAsyncDisposable
{
    /// <summary>A connected, logged-in session for the context's mailbox; nothing is left open when connecting fails.</summary>
    public static async Task<ImapSession> OpenAsync(MailboxContext context, CancellationToken cancellationToken, Func<IProtocolLogger>? trace = null)
    {
        var session = new ImapSession(ImapSettings.From(context), new SpoolBudget(SpoolBudget.DefaultMaxInMemoryBytes, SpoolBudget.DefaultMaxInMemoryMessageBytes))
        {
            Trace = trace,
        };
        try
        {
            await session.ConnectAsync(cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private const int MaxReadAttempts = 3;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private SpoolingImapClient? _client;
    private BufferedSocketStream? _socketStream;
    private string? _certificateProblem;
    private bool _certificateSeen;

    public ImapSettings Settings { get; } = settings;

    /// <summary>Raised after a reconnect so that callers drop state tied to the old connection (open folders).</summary>
    public int ConnectionGeneration { get; private set; }

    public ImapClient? CurrentClient => _client;

    /// <summary>Tests: a protocol logger for each connection (what was said on the wire, and when each side waited).</summary>
    internal Func<IProtocolLogger>? Trace { get; init; }

    /// <summary>Tests: each connection opens this stream instead of a socket (a recorded server transcript replayed).</summary>
    internal Func<CancellationToken, Task<Stream>>? ConnectOverride { get; init; }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await EnsureConnectedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs a read on the connection; a dropped connection is reconnected and the read run again.</summary>
    public Task<T> ReadAsync<T>(string operation, Func<ImapClient, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        RunAsync(operation, read, MaxReadAttempts, cancellationToken);

    /// <summary>Runs a write once; a dropped connection becomes a transient <see cref="MigrationException"/>.</summary>
    public Task<T> WriteAsync<T>(string operation, Func<ImapClient, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        RunAsync(operation, write, 1, cancellationToken);

    private async Task<T> RunAsync<T>(string operation, Func<ImapClient, CancellationToken, Task<T>> action, int attempts, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var client = await EnsureConnectedAsync(cancellationToken);
                try
                {
                    return await action(client, cancellationToken);
                }
                catch (Exception ex) when (IsConnectionLoss(ex) && !cancellationToken.IsCancellationRequested)
                {
                    await DropConnectionAsync();
                    if (attempt >= attempts)
                    {
                        throw ConnectionLost(operation, ex);
                    }

                    Settings.Logger.Warning("IMAP connection to {Host}:{Port} lost during {Operation} for {Mailbox}; reconnecting (attempt {Attempt})",
                        Settings.Host, Settings.Port, operation, Settings.Address, attempt + 1);
                }
                catch (ImapCommandException ex)
                {
                    throw CommandRefused(operation, ex);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SpoolingImapClient> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true, IsAuthenticated: true })
        {
            return _client;
        }

        await DropConnectionAsync();
        var timeouts = Settings.Context.Endpoint.Timeouts;
        var client = new SpoolingImapClient(budget, Trace?.Invoke() ?? new NullProtocolLogger())
        {
            // Greeting and TLS handshake get their own (short) limits; commands the longer one once connected.
            Timeout = Math.Max(timeouts.GreetingSeconds, timeouts.TlsSeconds) * 1000,
            ServerCertificateValidationCallback = ValidateCertificate,
        };
        Stream? stream = null;
        try
        {
            _certificateProblem = null;
            _certificateSeen = false;
            stream = ConnectOverride is { } open
                ? await open(cancellationToken)
                : await BufferedSocketStream.ConnectAsync(Settings.Host, Settings.Port, TimeSpan.FromSeconds(timeouts.ConnectSeconds), cancellationToken);
            await client.ConnectAsync(stream, Settings.Host, Settings.Port, Settings.Security, cancellationToken);
            client.Timeout = timeouts.CommandSeconds * 1000;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            stream?.Dispose();
            throw ConnectFailed(ex, ImapConnectPhases.Of(stream, Settings.Security, _certificateSeen));
        }

        try
        {
            if (client.IsAuthenticated)
            {
                // PREAUTH: the server logged the connection in as someone the plan did not choose (and, with tls: none,
                // before any TLS could start): refused rather than copying from or into an unknown mailbox.
                throw new MigrationException(Diagnose.ImapPreauthRefused(Settings.EndpointLocation, Settings.Host, Settings.Port, Settings.EndpointName,
                    hint: "configure the server to ask for a login, or connect to a port that does"));
            }

            await ImapAuthenticator.AuthenticateAsync(client, Settings, cancellationToken);
        }
        catch (AuthenticationException ex)
        {
            client.Dispose();
            throw IsThrottling(ex.Message) ? Throttled(ex.Message, ex) : AuthenticationFailed(ex.Message, ex);
        }
        catch (Exception ex) when (IsConnectionLoss(ex) && !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw ConnectionLost("login", ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        _client = client;
        _socketStream = stream as BufferedSocketStream;
        ConnectionGeneration++;
        return client;
    }

    /// <summary>How long a closed session waits for the server to close the connection after answering LOGOUT.</summary>
    internal static readonly TimeSpan ServerCloseWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Logs out and closes the connection. After a clean LOGOUT the socket is closed only once the server has closed it
    /// too (at most <see cref="ServerCloseWait"/>): the server ends the session after its answer, and the host slot this
    /// connection holds is given back when this returns, so the next connection to the host never overlaps this session.
    /// </summary>
    private async Task DropConnectionAsync()
    {
        var client = _client;
        var socket = _socketStream;
        _client = null;
        _socketStream = null;
        if (client is null)
        {
            return;
        }

        var loggedOut = false;
        try
        {
            if (client.IsConnected)
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                socket?.KeepSocketOnDispose();
                await client.DisconnectAsync(true, quick.Token);
                loggedOut = true;
            }
        }
        catch (Exception ex) when (ex is IOException or ImapProtocolException or OperationCanceledException or SocketException or ServiceNotConnectedException or ImapCommandException)
        {
            // The connection is gone either way; a clean LOGOUT is a courtesy.
        }
        finally
        {
            client.Dispose();
            if (!loggedOut)
            {
                socket?.CloseSocket();
            }
        }

        if (loggedOut && socket is not null)
        {
            await socket.CloseAfterServerAsync(ServerCloseWait);
        }
    }

    /// <summary>Decided by <see cref="ServerCertificates"/>; the reason is kept for the connect diagnostic.</summary>
    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        _certificateSeen = true;
        _certificateProblem = ServerCertificates.Problem(certificate, chain, errors, Settings.TrustedAuthorities, Settings.Host, Settings.CaFile);
        return _certificateProblem is null;
    }

    /// <summary>
    /// The transport failures of a connection (socket errors, stalls, a stream that ended, a server that stopped speaking IMAP):
    /// a read is run again on a new connection, and what is left becomes a transient <see cref="MigrationException"/>
    /// (<see cref="ConnectionLost"/>), so no socket or timeout exception leaves the adapter for Core to classify.
    /// </summary>
    internal static bool IsConnectionLoss(Exception ex) =>
        ex is IOException or SocketException or TimeoutException or ImapProtocolException or ServiceNotConnectedException;

    /// <summary>
    /// Every folder of the personal namespaces, with <paramref name="items"/> in the same round trip where the server has
    /// LIST-STATUS (MailKit falls back to a STATUS per folder).
    /// </summary>
    internal static async Task<List<IMailFolder>> ListFoldersAsync(ImapClient client, StatusItems items, CancellationToken ct)
    {
        var all = new List<IMailFolder>();
        foreach (var space in client.PersonalNamespaces)
        {
            all.AddRange(await client.GetFoldersAsync(space, items, subscribedOnly: false, ct));
        }

        if (client is SpoolingImapClient spooling)
        {
            spooling.Listings++;
        }

        return all;
    }

    /// <summary>
    /// INBOX as the client's own folder object (its name is case-insensitive), any other folder by its full name. A
    /// folder MailKit does not know yet is found by listing every folder: MailKit answers a folder it has seen in a listing
    /// from its cache, but asks for an unknown one with a LIST of the folder and another of each parent, so a connection
    /// that helped with a folder two levels down paid two round trips where one listing serves every folder. A connection
    /// lists at most twice for this (the second finds the folders other connections created since), so a mailbox of many
    /// folders is not listed again for each.
    /// </summary>
    internal static async Task<IMailFolder> GetFolderAsync(ImapClient client, string fullName, bool isInbox, CancellationToken ct)
    {
        const int MaxListingsForLookups = 2;
        if (isInbox || string.Equals(fullName, "INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return client.Inbox;
        }

        if (client is SpoolingImapClient { Listings: < MaxListingsForLookups } spooling && spooling.Knows(fullName) == false)
        {
            await ListFoldersAsync(client, StatusItems.None, ct);
        }

        return await client.GetFolderAsync(fullName, ct);
    }

    /// <summary>
    /// Answers that mean "too much, wait": Exchange Online's ("Server Unavailable", "Request is throttled") and Gmail's as admins
    /// see them past its bandwidth limits (imapsync's Gmail FAQ): [OVERQUOTA] "Account exceeded command or bandwidth limits.",
    /// [THROTTLED], "Too many simultaneous connections".
    /// </summary>
    internal static bool IsThrottling(string? text) =>
        text is not null && (text.Contains("Server Unavailable", StringComparison.OrdinalIgnoreCase)
            || text.Contains("throttl", StringComparison.OrdinalIgnoreCase)
            || IsOverQuota(text)
            || text.Contains("Too many simultaneous connections", StringComparison.OrdinalIgnoreCase));

    /// <summary>Gmail's bandwidth limits (a daily IMAP download quota of about 2,500 MB per user among them).</summary>
    private static bool IsOverQuota(string text) =>
        text.Contains("OVERQUOTA", StringComparison.OrdinalIgnoreCase) || text.Contains("bandwidth limits", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// How long to wait: the server's suggestion (Exchange Online), else 10 minutes for Gmail's bandwidth limits, which free
    /// over hours (the retry policy asks again every 10 minutes, up to its limit of waits), else 30 seconds.
    /// </summary>
    internal static TimeSpan WaitFor(string text) =>
        SuggestedBackoff(text) ?? (IsOverQuota(text) ? TimeSpan.FromMinutes(10) : TimeSpan.FromSeconds(30));

    internal static TimeSpan? SuggestedBackoff(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var match = BackoffPattern().Match(text);
        return match.Success && long.TryParse(match.Groups[1].Value, out var ms) ? TimeSpan.FromMilliseconds(ms) : null;
    }

    [GeneratedRegex(@"Suggested Backoff Time:\s*(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex BackoffPattern();

    public MigrationException ConnectFailed(Exception ex, string phase = "connect")
    {
        if (ImapConnectPhases.Classify(ex, Settings, phase) is { } classified)
        {
            return classified;
        }

        if (ex is SslHandshakeException || _certificateProblem is not null)
        {
            var problem = _certificateProblem ?? Clean(ex.Message);
            return new MigrationException(
                Diagnose.ImapTlsFailed(Settings.EndpointLocation,
                    Settings.Host, Settings.Port, Settings.EndpointName, problem, hint: Settings.CaFile is null
                        ? "if the server uses a private CA, set caFile to that CA's PEM certificate"
                        : "check that caFile holds the CA that signed the server certificate and that host matches it"), ex);
        }

        return new MigrationException(
            Diagnose.ImapConnectionFailed(Settings.EndpointLocation,
                Settings.Host, Settings.Port, Settings.EndpointName, Settings.Address, Clean(ex.Message),
                    hint: "check host, port and tls, and that the server is running"), ex)
        {
            Transient = true,
        };
    }

    public MigrationException AuthenticationFailed(string serverText, Exception? ex) =>
        new(Diagnose.ImapAuthenticationFailed(Settings.MailboxLocation, Settings.Address, Settings.Host, Settings.Port,
            Settings.Login.ToString(), Clean(serverText), hint: "check the username and the password or token reference"), ex);

    public MigrationException Throttled(string serverText, Exception? ex) =>
        new(Diagnose.ImapThrottled(Settings.MailboxLocation, Settings.Host, Settings.Port, Settings.Address, Clean(serverText)), ex)
        {
            Transient = true,
            RetryAfter = WaitFor(serverText),
        };

    public MigrationException ConnectionLost(string operation, Exception ex) =>
        new(Diagnose.ImapConnectionLost(Settings.MailboxLocation, Settings.Host, Settings.Port, operation, Settings.Address, Clean(ex.Message)), ex)
        {
            Transient = true,
        };

    public MigrationException CommandRefused(string operation, ImapCommandException ex)
    {
        if (IsThrottling(ex.ResponseText))
        {
            return Throttled(ex.ResponseText, ex);
        }

        return new MigrationException(
            Diagnose.ImapCommandRefused(Settings.MailboxLocation, Settings.Host, Settings.Port, operation, Settings.Address,
                Clean(ex.ResponseText is { Length: > 0 } text ? text : ex.Message)), ex)
        {
            // A 5xx-like "try again" answer from the server: worth retrying later.
            Transient = ex.ResponseText?.Contains("UNAVAILABLE", StringComparison.OrdinalIgnoreCase) == true,
        };
    }

    /// <summary>Server answers go into messages; keep them on one line and short.</summary>
    internal static string Clean(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] + "..." : line;
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await DropConnectionAsync();
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }
}

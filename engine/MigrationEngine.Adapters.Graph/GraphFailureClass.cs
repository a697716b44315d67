namespace MigrationEngine.Adapters.Graph;

/// <summary>What an error answer of Graph means for the request that got it.</summary>
internal enum GraphFailureClass
{
    /// <summary>429 (or 509): the service asks to wait; the same request succeeds later.</summary>
    Throttled,

    /// <summary>No answer (connection lost), 503, 504, or a 500 whose code says it is passing: worth sending again.</summary>
    Transient,

    /// <summary>The item itself is refused (400, 404 on the item, 413, 422, a 500 that is not passing): sending it again gets the same answer.</summary>
    ItemRefused,

    /// <summary>The mailbox or the application is refused (401, 403, 507 mailbox full, 501): nothing for this mailbox can succeed now.</summary>
    MailboxRefused,
}

/// <summary>
/// One home for deciding which Graph errors are retried. Microsoft's error page
/// (https://learn.microsoft.com/graph/errors) documents 429 ("the client application has been throttled and should not
/// attempt to repeat the request until an amount of time has elapsed"), 503 ("the service is temporarily unavailable
/// ... you may repeat the request after a delay, the length of which may be specified in a Retry-After header") and 504
/// as passing, and 400/413/422 as answers about the request itself; throttling
/// (https://learn.microsoft.com/graph/throttling) adds that only 429 and 503/504 carry Retry-After. The SDK's own
/// retry handler retries exactly 429, 503 and 504. A 500 is passing only when Exchange says so through its error code
/// (ErrorInternalServerTransientError, ErrorServerBusy, ErrorTimeoutExpired, ErrorMailboxStoreUnavailable,
/// ErrorMailboxMoveInProgress: the Exchange ResponseCodeType values that ask to try again later).
/// </summary>
internal static class GraphFailures
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "ErrorInternalServerTransientError", "ErrorServerBusy", "ErrorTimeoutExpired", "ErrorMailboxStoreUnavailable",
        "ErrorMailboxMoveInProgress", "ErrorConnectionFailed", "serviceNotAvailable", "timeout",
    };

    /// <param name="status">The HTTP status, null when no answer arrived.</param>
    /// <param name="code">Graph's error code from the body, when there is one.</param>
    /// <param name="itemRequest">The request is about one item (a message, its attachment, its flags), so a 404 means that item.</param>
    public static GraphFailureClass Classify(int? status, string? code, bool itemRequest) => status switch
    {
        null => GraphFailureClass.Transient,
        429 or 509 => GraphFailureClass.Throttled,
        503 or 504 or 502 => GraphFailureClass.Transient,
        500 when code is not null && TransientCodes.Contains(code) => GraphFailureClass.Transient,
        500 => GraphFailureClass.ItemRefused,
        400 or 413 or 415 or 422 => GraphFailureClass.ItemRefused,
        404 when itemRequest => GraphFailureClass.ItemRefused,
        401 or 403 or 404 or 501 or 507 => GraphFailureClass.MailboxRefused,
        >= 500 => GraphFailureClass.Transient,
        _ => GraphFailureClass.MailboxRefused,
    };

    public static bool IsRetried(this GraphFailureClass failure) => failure is GraphFailureClass.Throttled or GraphFailureClass.Transient;

    public static GraphFailureClass Classify(Exception exception, bool itemRequest) =>
        Classify(GraphErrors.StatusOf(exception), GraphErrors.CodeOf(exception), itemRequest);
}

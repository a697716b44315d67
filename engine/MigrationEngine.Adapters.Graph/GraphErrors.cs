using System.Net;
using Azure.Identity;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph;

/// <summary>Turns SDK, token and socket exceptions into the engine's diagnostics (no stack traces, no secrets).</summary>
internal static class GraphErrors
{
    /// <summary>
    /// The server's answer inside the wrappers: when the SDK's retry handler gives up it throws an aggregate of
    /// every attempt's error; the last one is the server's final word.
    /// </summary>
    private static Exception Unwrap(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ApiException)
            {
                return current;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.LastOrDefault(e => e is ApiException) is { } last)
            {
                return last;
            }
        }

        return exception;
    }

    public static int? StatusOf(Exception exception) => Unwrap(exception) switch
    {
        ApiException api when api.ResponseStatusCode > 0 => api.ResponseStatusCode,
        _ => null,
    };

    public static string? CodeOf(Exception exception) => (Unwrap(exception) as ODataError)?.Error?.Code;

    /// <summary>
    /// The per-message refusal (MIG1240) as the reason recorded for a bad item: the status, Graph's code and words, and
    /// what to do about that code.
    /// </summary>
    public static string ItemRefusal(Exception exception, string sourceId, string mailbox, SourceLocation location)
    {
        var status = StatusOf(exception);
        var hint = CodeOf(exception) switch
        {
            "ErrorInvalidRecipients" or "ErrorInvalidSmtpAddress" => "a recipient address of the message is not valid for Exchange; fix or remove it at the source",
            "ErrorMessageSizeExceeded" or "RequestEntityTooLarge" or "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize" => "the message is larger than the mailbox accepts (MaxReceiveSize)",
            "ErrorItemNotFound" => "the item was removed in the target while it was being written",
            "ErrorMimeContentInvalid" or "ErrorMimeContentConversionFailed" or "ErrorMimeContentInvalidBase64String" => "Exchange cannot read the message's MIME; json mode may take it",
            _ => "Graph gives the same answer to the same message; fix the message at the source or leave it out with a rule",
        };
        var diagnostic = Diagnose.GraphItemRefused(location, sourceId, mailbox, status is null ? Describe(exception) : $"{status} {Describe(exception)}",
            hint: hint);
        return $"{diagnostic.Code}: {diagnostic.Message} ({diagnostic.Hint})";
    }

    /// <summary>The server's own words: "Code: message", or the exception's first line.</summary>
    public static string Describe(Exception exception)
    {
        exception = Unwrap(exception);
        if (exception is ODataError { Error: { } error })
        {
            return string.IsNullOrEmpty(error.Code) ? error.Message ?? "error" : $"{error.Code}: {error.Message}";
        }

        var message = exception.Message;
        var newline = message.IndexOfAny(['\r', '\n']);
        return newline > 0 ? message[..newline] : message;
    }

    /// <summary>The server's Retry-After (seconds) on the last answer, when the retry handler gave up.</summary>
    private static TimeSpan? RetryAfterOf(Exception exception)
    {
        if (Unwrap(exception) is ApiException { ResponseHeaders: { } headers })
        {
            foreach (var (name, values) in headers)
            {
                if (string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
                {
                    return TimeSpan.FromSeconds(seconds);
                }
            }
        }

        return null;
    }

    /// <summary>The token service's own reason (AADSTS code and text) when there is one; it never contains the secret.</summary>
    private static string DescribeTokenFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var match = System.Text.RegularExpressions.Regex.Match(current.Message, @"AADSTS\d+:[^\r\n]*");
            if (match.Success)
            {
                return match.Value.Trim();
            }
        }

        return Describe(exception);
    }

    /// <summary>What an admin does about a user without a mailbox.</summary>
    public const string LicenceHint =
        "assign the user a licence that includes Exchange Online (or list it in provision.licenses with a usageLocation); the mailbox appears minutes later";

    /// <summary>
    /// Outlook's answer for a user whose mailbox does not exist, is inactive or soft-deleted, or lives on-premises: 404 with
    /// code MailboxNotEnabledForRESTAPI or MailboxNotSupportedForRESTAPI
    /// (https://learn.microsoft.com/exchange/troubleshoot/user-and-shared-mailboxes/rest-api-is-not-yet-supported-for-this-mailbox-error).
    /// </summary>
    public static string? MailboxNotEnabled(Exception exception) =>
        CodeOf(exception) is { } code && (string.Equals(code, "MailboxNotEnabledForRESTAPI", StringComparison.OrdinalIgnoreCase)
            || string.Equals(code, "MailboxNotSupportedForRESTAPI", StringComparison.OrdinalIgnoreCase)) ? code : null;

    /// <summary>A failure of a mailbox-level operation (the mailbox fails; transient ones can be retried later).</summary>
    public static MigrationException ToMigrationException(GraphConnection connection, Exception exception, string operation, string mailbox,
        string permission, SourceLocation location)
    {
        var endpoint = connection.Endpoint;
        switch (exception)
        {
            case MigrationException migration:
                return migration;
            case AuthenticationFailedException auth:
                return new MigrationException(Diagnose.GraphAuthenticationFailed(endpoint.Location, endpoint.Name, connection.ClientId, connection.TenantId, DescribeTokenFailure(auth),
                    hint: "check tenantId, clientId, the secret or certificate, and the cloud"));
            case HttpRequestException http when StatusOf(exception) is null:
                return new MigrationException(Diagnose.GraphConnectionFailed(endpoint.Location, endpoint.Name, connection.BaseUrl, Describe(http)), http)
                {
                    Transient = true,
                };
            case TaskCanceledException timeout:
                return new MigrationException(Diagnose.GraphConnectionFailed(endpoint.Location, endpoint.Name, connection.BaseUrl, "the request timed out"), timeout)
                {
                    Transient = true,
                };
        }

        if (MailboxNotEnabled(exception) is { } code)
        {
            return new MigrationException(Diagnose.GraphMailboxNotEnabled(location, mailbox, connection.TenantId, code, hint: LicenceHint));
        }

        var status = StatusOf(exception);
        if (status is (int)HttpStatusCode.Forbidden)
        {
            return new MigrationException(Diagnose.GraphPermissionMissing(location,
                connection.ClientId, operation, mailbox, connection.TenantId, permission, hint: Describe(exception)));
        }

        if (status is (int)HttpStatusCode.Unauthorized)
        {
            return new MigrationException(Diagnose.GraphAuthenticationFailed(endpoint.Location,
                endpoint.Name, connection.ClientId, connection.TenantId, Describe(exception),
                    hint: "the token was refused by Graph: check that the application is registered in this cloud and tenant"));
        }

        return new MigrationException(Diagnose.GraphRequestFailed(location, operation, mailbox, Describe(exception)), exception)
        {
            Transient = GraphFailures.Classify(exception, itemRequest: false).IsRetried(),
            RetryAfter = RetryAfterOf(exception),
        };
    }
}

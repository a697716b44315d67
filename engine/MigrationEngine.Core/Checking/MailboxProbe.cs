using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Checking;

/// <summary>What <c>migrate check</c> found on one side of one mailbox.</summary>
public enum ProbeOutcome
{
    /// <summary>Connected, logged in, the mailbox is there.</summary>
    Ok,
    /// <summary>Not there yet, and apply creates it (provision.createUsers, a Maildir folder).</summary>
    CreatedByApply,
    /// <summary>Not checked by the engine (Exchange Online's migration service connects to it).</summary>
    NotChecked,
    /// <summary>No such user or mailbox (Graph: no user; files: no folder or file).</summary>
    MailboxMissing,
    /// <summary>The user exists but has no mailbox (Graph: no Exchange Online licence yet).</summary>
    NoMailbox,
    /// <summary>
    /// The login was refused. IMAP does not tell a wrong password from an unknown user (RFC 9051 leaves both to
    /// AUTHENTICATIONFAILED), so this covers a mailbox that does not exist too.
    /// </summary>
    LoginRefused,
    /// <summary>Logged in, but not allowed to act for the mailbox (an admin login refused for this user, Graph 403).</summary>
    NotAuthorized,
    /// <summary>No connection: the host does not resolve, refuses, stalls, or its TLS certificate is not trusted.</summary>
    Unreachable,
    /// <summary>A secret the login needs cannot be read.</summary>
    SecretMissing,
    /// <summary>Anything else; the diagnostic says what.</summary>
    Failed,
}

/// <summary>One side's result: the outcome and, unless it is Ok, the diagnostic that explains it.</summary>
public sealed record ProbeResult(ProbeOutcome Outcome, Diagnostic? Diagnostic = null)
{
    public static ProbeResult Ok { get; } = new(ProbeOutcome.Ok);

    public bool Passed => Outcome is ProbeOutcome.Ok or ProbeOutcome.CreatedByApply or ProbeOutcome.NotChecked;
}

/// <summary>
/// Implemented by an adapter factory whose <c>OpenAsync</c> would change something (create a user or a folder) or read a
/// whole mailbox before it returns: it proves instead that the mailbox can be opened, without writing. A factory without it
/// is checked by opening the mailbox (connect and log in) and closing it again.
/// </summary>
public interface IMailboxProbe
{
    Task<ProbeResult> ProbeAsync(MailboxContext context, CancellationToken cancellationToken);
}

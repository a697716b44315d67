
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

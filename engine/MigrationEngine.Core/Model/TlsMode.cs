namespace MigrationEngine.Core.Model;

/// <summary>An IMAP endpoint's <c>tls</c>: how the connection is protected.</summary>
public enum TlsMode
{
    /// <summary>A value the schema refused; it only exists in a plan with errors, which yields no model.</summary>
    Unknown,

    /// <summary>TLS from the first byte (port 993 by default); the plan's default.</summary>
    Implicit,

    /// <summary>STARTTLS after the greeting (port 143 by default).</summary>
    StartTls,

    /// <summary>No TLS: credentials travel in clear text, so the plan must also say <c>allowInsecure: true</c>.</summary>
    None,
}

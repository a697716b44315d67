using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Model;

/// <summary>
/// A source or target. One record for every type keeps adapters' factories simple; fields that do not apply
/// to a type are null. <see cref="CanonicalSettings"/> is what step input hashes use.
/// </summary>
public sealed record EndpointDefinition
{
    public required string Name { get; init; }
    public required EndpointRole Role { get; init; }

    /// <summary>imap, exchange, gworkspace, mbox, maildir, eml, pst, ics-vcf, dav (sources); graph, imap, maildir, ics-vcf, dav (targets).</summary>
    public required EndpointType Type { get; init; }

    public required SourceLocation Location { get; init; }

    // IMAP
    public string? Host { get; init; }
    public int? Port { get; init; }
    /// <summary><c>tls</c>: implicit, starttls or none; null when the plan sets none (implicit).</summary>
    public TlsMode? Tls { get; init; }
    public bool AllowInsecure { get; init; }
    /// <summary>IMAP <c>maxConnections</c>: connections open at once to this host across all migrations and workers of the plan.</summary>
    public int? MaxConnections { get; init; }
    /// <summary>Absolute path of an extra CA certificate to trust (IMAP and Graph).</summary>
    public string? CaFile { get; init; }
    /// <summary>gmail, office365, exchange or generic; null when the plan sets none.</summary>
    public ImapPresetName? Preset { get; init; }
    public AuthDefinition? Auth { get; init; }
    /// <summary>IMAP <c>timeouts</c>: how long each phase of a connection may stall.</summary>
    public ConnectionTimeouts Timeouts { get; init; } = new();

    // Graph
    public string? TenantId { get; init; }
    public string? ClientId { get; init; }
    public SecretReference? ClientSecret { get; init; }
    public SecretReference? Certificate { get; init; }
    public SecretReference? CertificatePassword { get; init; }
    /// <summary><c>cloud</c>: global, usgov, usgovdod or china; null when the plan sets none (global).</summary>
    public MicrosoftCloud? Cloud { get; init; }
    public string? Endpoint { get; init; }
    public string? AuthorityHost { get; init; }
    /// <summary>mime or json; null when the plan sets none (mime).</summary>
    public ImportMode? ImportMode { get; init; }
    public ProvisionDefinition? Provision { get; init; }

    // Exchange
    public string? Version { get; init; }
    public string? Server { get; init; }
    public CredentialsDefinition? Credentials { get; init; }
    /// <summary>Migration endpoint settings for Exchange Online's migration service (exchange, imap and gworkspace sources).</summary>
    public ExchangeEndpointSettings ExchangeEndpoint { get; init; } = new();

    // DAV (CardDAV/CalDAV): the server's base or /.well-known URL; the scheme decides TLS (http needs AllowInsecure).
    public string? Url { get; init; }

    // Files: absolute path.
    public string? Path { get; init; }
    /// <summary>For mbox sources: <c>folders</c> (one .mbox per folder) or <c>takeout</c> (labels give the folders).</summary>
    public MboxLayout? Layout { get; init; }
    /// <summary>For pst: <c>engine</c> (default, readpst) or <c>importService</c>.</summary>
    public PstEngine? Engine { get; init; }

    /// <summary>Settings as canonical JSON (sorted keys, secret references not values), for hashing.</summary>
    public required string CanonicalSettings { get; init; }
}

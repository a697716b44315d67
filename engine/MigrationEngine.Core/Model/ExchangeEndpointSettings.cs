using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Model;

/// <summary>Migration endpoint settings of a source (Outlook Anywhere servers, Autodiscover, concurrency, Google service account).</summary>
public sealed record ExchangeEndpointSettings
{
    /// <summary>The Outlook Anywhere (RPC proxy) host; <c>server</c> is then the mailbox server's FQDN.</summary>
    public string? RpcProxyServer { get; init; }

    /// <summary>Find the servers with Autodiscover from an e-mail address (New-MigrationEndpoint -Autodiscover).</summary>
    public bool Autodiscover { get; init; }

    /// <summary>The address Autodiscover and the connection test use (null: the first mailbox's source address).</summary>
    public string? EmailAddress { get; init; }

    /// <summary>Null leaves the service's value (default 100, or what an admin set in the admin center).</summary>
    public int? MaxConcurrentMigrations { get; init; }

    /// <summary>Null leaves the service's value (default 20).</summary>
    public int? MaxConcurrentIncrementalSyncs { get; init; }

    /// <summary>Google Workspace: the service account's JSON key (New-MigrationEndpoint -Gmail -ServiceAccountKeyFileData).</summary>
    public SecretReference? ServiceAccountKey { get; init; }
}

using System.Globalization;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>How the Exchange-native executor reaches Exchange Online and how long it follows a batch.</summary>
public sealed record ExchangeExecutorOptions
{
    /// <summary>A folder prepended to PSModulePath (tests point it at a stub ExchangeOnlineManagement module).</summary>
    public string? ModulePath { get; init; }

    /// <summary>How often a running batch is polled.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long one apply follows a batch before leaving it running (the next apply picks it up). Every wait is bounded: a batch waiting for
    /// an approval, or one the service holds, must not keep apply (and a CI job) running for ever. A plan's exchange.maxWaitMinutes overrides it.
    /// </summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>The tenant's .onmicrosoft.com domain when the plan's tenantId is a GUID and no targetDeliveryDomain tells it.</summary>
    public string? Organization { get; init; }

    /// <summary>Overrides the token service for client-secret targets (tests use a loopback server).</summary>
    public Uri? AuthorityHost { get; init; }

    /// <summary>Where PST Import Service mapping files go, relative to the plan's folder.</summary>
    public string PstImportFolder { get; init; } = Path.Combine(".migrate", "pst-import");

    /// <summary>
    /// Reads MIGRATE_EXO_MODULE_PATH, MIGRATE_EXO_POLL_SECONDS, MIGRATE_EXO_MAX_WAIT_MINUTES and MIGRATE_EXO_ORGANIZATION.
    /// </summary>
    public static ExchangeExecutorOptions FromEnvironment()
    {
        var options = new ExchangeExecutorOptions
        {
            ModulePath = NonEmpty(Environment.GetEnvironmentVariable("MIGRATE_EXO_MODULE_PATH")),
            Organization = NonEmpty(Environment.GetEnvironmentVariable("MIGRATE_EXO_ORGANIZATION")),
        };
        if (double.TryParse(Environment.GetEnvironmentVariable("MIGRATE_EXO_POLL_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            options = options with { PollInterval = TimeSpan.FromSeconds(seconds) };
        }

        if (double.TryParse(Environment.GetEnvironmentVariable("MIGRATE_EXO_MAX_WAIT_MINUTES"), NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && minutes >= 0)
        {
            options = options with { MaxWait = TimeSpan.FromMinutes(minutes) };
        }

        return options;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

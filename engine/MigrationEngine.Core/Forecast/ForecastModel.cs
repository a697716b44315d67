namespace MigrationEngine.Core.Forecast;

/// <summary>What bounds how fast a mailbox can move.</summary>
public enum BindingLimit
{
    /// <summary>Gmail's IMAP download limit per user and day (2,500 MB).</summary>
    GmailDailyQuota,
    /// <summary>Graph's per-mailbox upload window: 150 MB per 5 minutes.</summary>
    GraphUploadWindow,
    /// <summary>Graph's per-mailbox request window: 10,000 requests per 10 minutes.</summary>
    GraphRequestWindow,
    /// <summary>The engine's (or Exchange Online's migration service's) transfer rate: measured by this plan's runs, or the default figures.</summary>
    TransferRate,
    /// <summary>Nothing to move.</summary>
    Nothing,
}

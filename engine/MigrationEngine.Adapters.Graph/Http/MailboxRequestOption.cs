using Microsoft.Kiota.Abstractions;

namespace MigrationEngine.Adapters.Graph.Http;

/// <summary>
/// Tells the pipeline which mailbox a request belongs to when its URL does not say (a $batch) and whether a POST
/// may be re-sent after a dropped connection (its effect is idempotent).
/// </summary>
internal sealed class MailboxRequestOption : IRequestOption
{
    public static readonly HttpRequestOptionsKey<MailboxRequestOption> Key = new(typeof(MailboxRequestOption).FullName!);

    // Kiota copies request options into HttpRequestMessage.Options under the option type's full name.
    public static readonly HttpRequestOptionsKey<IRequestOption> KiotaKey = new(typeof(MailboxRequestOption).FullName!);

    public string? Mailbox { get; init; }

    public bool Idempotent { get; init; }

    /// <summary>Requests the mailbox's budgets are charged for: the number of steps of a $batch, 1 otherwise.</summary>
    public int Steps { get; init; } = 1;

    public static MailboxRequestOption? From(HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(Key, out var option))
        {
            return option;
        }

        return request.Options.TryGetValue(KiotaKey, out var kiota) ? kiota as MailboxRequestOption : null;
    }

    public void ApplyTo(HttpRequestMessage request) => request.Options.Set(Key, this);
}

using Serilog;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// The retry loops every server call of a mailbox runs under (see <see cref="RetryPolicy"/>): server-requested waits that do
/// not use up the attempts, and a few attempts with jittered exponential backoff for other transient failures. It behaves
/// as the two nested Polly retry strategies it replaced (same decisions, delays, log lines and cancellation points), but
/// without Polly's generic pipeline: ReadyToRun cannot precompile Polly's state machines over our callbacks' state, so
/// every process compiled about 65 methods of them at the first call, and building the pipeline validated its options by
/// reflection (together about 40 ms of a 0.4 s no-op pass).
/// </summary>
internal sealed class RetryPipeline(ExecutionOptions options, ILogger log)
{
    /// <summary>The wait when the server's own figure is unusable (negative): Polly's default delay, as before.</summary>
    private static readonly TimeSpan DefaultServerWait = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(2);

    /// <summary>Tests: the random numbers of the jitter (0 to 1).</summary>
    internal Func<double> Randomizer { get; init; } = Random.Shared.NextDouble;

    public async ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var attempts = new Attempts();
        while (true)
        {
            TimeSpan delay;
            try
            {
                return await action(cancellationToken);
            }
            catch (Exception ex) when (NextDelay(ex, attempts) is { } next)
            {
                delay = next;
            }

            await WaitAsync(delay, attempts, cancellationToken);
        }
    }

    public async ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var attempts = new Attempts();
        while (true)
        {
            TimeSpan delay;
            try
            {
                await action(cancellationToken);
                return;
            }
            catch (Exception ex) when (NextDelay(ex, attempts) is { } next)
            {
                delay = next;
            }

            await WaitAsync(delay, attempts, cancellationToken);
        }
    }

    /// <summary>
    /// How long to wait before another attempt after <paramref name="failure"/>, or null when it ends the call (it is then
    /// rethrown unchanged). Logged here, in the exception filter, so the log line comes before the wait as it always did.
    /// </summary>
    internal TimeSpan? NextDelay(Exception failure, Attempts attempts)
    {
        if (failure is MigrationException { Transient: true, RetryAfter: { } asked })
        {
            // Throttling: wait as long as the server asked; a fresh round of transient attempts follows.
            if (attempts.ServerWaits >= options.MaxServerRequestedWaits)
            {
                return null;
            }

            var wait = asked >= TimeSpan.Zero ? asked : DefaultServerWait;
            log.Warning("The server asked to wait, retry {Attempt} in {Delay}: {Message}", attempts.ServerWaits + 1, wait, failure.Message);
            attempts.ServerWaits++;
            attempts.Transient = 0;
            attempts.JitterState = 0;
            attempts.StartsRound = true;
            return wait;
        }

        if (failure is MigrationException { RetryAfter: not null } || !RetryPolicy.IsTransient(failure)
            || attempts.Transient >= Math.Max(0, options.MaxAttempts - 1))
        {
            return null;
        }

        var delay = Backoff(attempts.Transient, options.RetryBaseDelay, ref attempts.JitterState, Randomizer);
        log.Warning("Transient failure, retry {Attempt} in {Delay}: {Message}", attempts.Transient + 1, delay, failure.Message);
        attempts.Transient++;
        attempts.StartsRound = false;
        return delay;
    }

    private static async ValueTask WaitAsync(TimeSpan delay, Attempts attempts, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }

        if (attempts.StartsRound)
        {
            // A new round after a server-requested wait begins with a cancellation check of its own.
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Exponential backoff with decorrelated jitter ("DecorrelatedJitterBackoffV2", the formula Polly uses): the median wait
    /// before retry t is about base x 2^t, capped at two minutes; a zero base never waits.
    /// </summary>
    internal static TimeSpan Backoff(int attempt, TimeSpan baseDelay, ref double previous, Func<double> randomizer)
    {
        if (baseDelay == TimeSpan.Zero)
        {
            return baseDelay;
        }

        const double PFactor = 4.0;
        const double RpScalingFactor = 1 / 1.4d;
        var maxTicks = (double)TimeSpan.MaxValue.Ticks - 1_000;
        var t = attempt + randomizer();
        var next = Math.Pow(2.0, t) * Math.Tanh(Math.Sqrt(PFactor * t));
        if (double.IsInfinity(next))
        {
            previous = next;
            return MaxBackoff;
        }

        var intrinsic = next - previous;
        previous = next;
        var ticks = (long)Math.Min(intrinsic * RpScalingFactor * baseDelay.Ticks, maxTicks);
        var delay = TimeSpan.FromTicks(ticks);
        return delay > MaxBackoff ? MaxBackoff : delay;
    }

    /// <summary>Where one call is in its attempts.</summary>
    internal sealed class Attempts
    {
        public int ServerWaits;
        public int Transient;
        public double JitterState;
        public bool StartsRound;
    }
}

using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace MigrationEngine.Core.Tests.Execution;

/// <summary>
/// The retry loops a mailbox's server calls run under (<see cref="RetryPipeline"/>, which replaced two nested Polly retry
/// strategies): what is retried, how often, how long it waits, what it logs, and where cancellation stops it.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RetryPipelineTests
{
    private static readonly Diagnostic Any = Diagnose.UnexpectedFailure(SourceLocation.None("plan.yaml"), "X", "mailbox a@b.test", "boom");

    /// <summary>What a failure made from <see cref="Any"/> says: the log lines end with it.</summary>
    private static readonly string Boom = new MigrationException(Any).Message;

    private readonly List<string> _log = [];

    [Fact]
    public async Task A_transient_failure_gets_the_attempts_then_the_last_failure_leaves_unchanged()
    {
        var pipeline = Create(new ExecutionOptions { MaxAttempts = 3, RetryBaseDelay = TimeSpan.Zero });
        var calls = 0;
        MigrationException? last = null;
        var thrown = await Assert.ThrowsAsync<MigrationException>(async () => await pipeline.ExecuteAsync<int>(_ =>
        {
            calls++;
            throw last = new MigrationException(Any) { Transient = true };
        }, CancellationToken.None));

        Assert.Equal(3, calls);
        Assert.Same(last, thrown);
        Assert.Equal(["Transient failure, retry 1 in 00:00:00: " + Boom, "Transient failure, retry 2 in 00:00:00: " + Boom], _log);
    }

    [Fact]
    public async Task A_success_after_failures_returns_its_value()
    {
        var pipeline = Create(new ExecutionOptions { MaxAttempts = 5, RetryBaseDelay = TimeSpan.Zero });
        var calls = 0;
        var value = await pipeline.ExecuteAsync(_ => ++calls < 3 ? throw new IOException("stream ended") : ValueTask.FromResult("done"), CancellationToken.None);

        Assert.Equal("done", value);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_failure_that_is_not_transient_is_not_tried_again()
    {
        var pipeline = Create(new ExecutionOptions { MaxAttempts = 5, RetryBaseDelay = TimeSpan.Zero });
        var calls = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await pipeline.ExecuteAsync(_ =>
        {
            calls++;
            throw new InvalidOperationException("bug");
        }, CancellationToken.None));
        await Assert.ThrowsAsync<MigrationException>(async () => await pipeline.ExecuteAsync(_ =>
        {
            calls++;
            throw new MigrationException(Any) { RetryAfter = TimeSpan.Zero };
        }, CancellationToken.None));

        Assert.Equal(2, calls);
        Assert.Empty(_log);
    }

    [Fact]
    public async Task Server_requested_waits_do_not_use_up_the_attempts_and_wait_as_asked()
    {
        var pipeline = Create(new ExecutionOptions { MaxAttempts = 2, MaxServerRequestedWaits = 2, RetryBaseDelay = TimeSpan.Zero });
        var failures = new Queue<Exception>([
            new MigrationException(Any) { Transient = true },
            new MigrationException(Any) { Transient = true, RetryAfter = TimeSpan.FromMilliseconds(3) },
            // A fresh round of transient attempts follows each wait.
            new MigrationException(Any) { Transient = true },
            new MigrationException(Any) { Transient = true, RetryAfter = TimeSpan.FromMilliseconds(2) },
            new MigrationException(Any) { Transient = true, RetryAfter = TimeSpan.FromMilliseconds(1) },
        ]);
        var thrown = await Assert.ThrowsAsync<MigrationException>(async () => await pipeline.ExecuteAsync(_ => throw failures.Dequeue(), CancellationToken.None));

        Assert.Empty(failures);
        Assert.Equal(TimeSpan.FromMilliseconds(1), thrown.RetryAfter);
        Assert.Equal([
            "Transient failure, retry 1 in 00:00:00: " + Boom,
            "The server asked to wait, retry 1 in 00:00:00.0030000: " + Boom,
            "Transient failure, retry 1 in 00:00:00: " + Boom,
            "The server asked to wait, retry 2 in 00:00:00.0020000: " + Boom,
        ], _log);
    }

    [Fact]
    public async Task Cancellation_stops_before_the_first_call_and_during_a_wait()
    {
        var pipeline = Create(new ExecutionOptions { MaxAttempts = 5, RetryBaseDelay = TimeSpan.FromMinutes(1) });
        var calls = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await pipeline.ExecuteAsync(_ => { calls++; return ValueTask.CompletedTask; }, new CancellationToken(canceled: true)));
        Assert.Equal(0, calls);

        using var stop = new CancellationTokenSource();
        var waiting = pipeline.ExecuteAsync(_ =>
        {
            calls++;
            throw new IOException("dropped");
        }, stop.Token).AsTask();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void The_backoff_is_polly_s_decorrelated_jitter_capped_at_two_minutes()
    {
        var state = 0d;
        Assert.Equal(TimeSpan.Zero, RetryPipeline.Backoff(0, TimeSpan.Zero, ref state, () => 0.5));

        // Polly's DecorrelatedJitterBackoffV2 with the randomizer at 0.5: t = 0.5, 2^t * tanh(sqrt(4t)) / 1.4 seconds.
        state = 0;
        var first = RetryPipeline.Backoff(0, TimeSpan.FromSeconds(1), ref state, () => 0.5);
        Assert.Equal(Math.Pow(2, 0.5) * Math.Tanh(Math.Sqrt(2)) / 1.4, first.TotalSeconds, 6);
        var second = RetryPipeline.Backoff(1, TimeSpan.FromSeconds(1), ref state, () => 0.5);
        Assert.Equal((Math.Pow(2, 1.5) * Math.Tanh(Math.Sqrt(6)) - Math.Pow(2, 0.5) * Math.Tanh(Math.Sqrt(2))) / 1.4, second.TotalSeconds, 6);
        Assert.Equal(TimeSpan.FromMinutes(2), RetryPipeline.Backoff(20, TimeSpan.FromSeconds(1), ref state, () => 0.5));
    }

    private RetryPipeline Create(ExecutionOptions options) =>
        new(options, new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new ListSink(_log)).CreateLogger());

    private sealed class ListSink(List<string> lines) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => lines.Add(logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Replace("\"", "", StringComparison.Ordinal));
    }
}

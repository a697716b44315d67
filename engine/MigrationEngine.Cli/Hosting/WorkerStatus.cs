using System.Globalization;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Hosting;

/// <summary>One worker as status shows it.</summary>
internal sealed record WorkerRow(long Worker, long Round, string Host, int Pid, string State, int MailboxesHeld, long Messages, double MessagesPerSecond, DateTimeOffset LastHeartbeat,
    int MailboxesDone);

/// <summary>The plan's mailboxes as a work queue: running (held by a live worker), runnable, waiting on a dependsOn, done, failed.</summary>
internal sealed record QueueCounts(long Runnable, long Running, long Waiting, long Done, long Failed);

/// <summary>
/// The workers part of <c>migrate status</c> with a shared state: the workers of the latest round and any other still live
/// (host, pid, mailboxes held, messages per second, last heartbeat), and the queue of mailboxes.
/// </summary>
internal static class WorkerStatus
{
    /// <summary>What status adds with a shared state.</summary>
    public sealed record Report(IReadOnlyList<WorkerRow> Workers, QueueCounts Queue);

    public static async Task<Report?> ReadAsync(IStateStore store, ExecutionGraph graph, PlanAccount account, string planName, CancellationToken cancellationToken)
    {
        if (store is not IWorkerStore workers || store is not IMailboxLeaseStore leaseStore)
        {
            return null;
        }

        var now = DateTimeOffset.UtcNow;
        var all = await workers.GetWorkersAsync(planName, cancellationToken);
        var latestRound = all.Count == 0 ? 0 : all.Max(w => w.RoundId);
        var liveLeases = (await leaseStore.GetMailboxLeasesAsync(planName, cancellationToken)).Where(l => LeaseRules.StateOf(l, now) == LeaseHolderState.Live).ToList();
        var rows = all.Where(w => w.RoundId == latestRound || w.IsLive(now))
            .Select(w => new WorkerRow(w.WorkerId, w.RoundId, w.Host, w.ProcessId, w.FinishedAt is not null ? $"finished ({w.Outcome})" : w.IsLive(now) ? "live" : "gone",
                w.IsLive(now) ? liveLeases.Count(l => l.ProcessId == w.ProcessId && string.Equals(l.Host, w.Host, StringComparison.OrdinalIgnoreCase) && l.Mailbox != WorkerLeaseKeys.Migration) : 0,
                w.Messages, Math.Round(w.MessagesPerSecond, 1), w.FinishedAt ?? w.HeartbeatAt, w.Mailboxes))
            .ToList();
        return new Report(rows, Queue(graph, account, liveLeases));
    }

    private static QueueCounts Queue(ExecutionGraph graph, PlanAccount account, IReadOnlyList<MailboxLease> liveLeases)
    {
        // A migration waits while a migration it depends on (its join step) is not done.
        var waiting = graph.Steps.Where(s => s.Kind == StepKind.MigrationDone)
            .Where(join => graph.Steps.Where(s => s.Migration == join.Migration).SelectMany(s => s.DependsOn)
                .Any(id => graph.Contains(id) && graph[id] is { Kind: StepKind.MigrationDone } other && other.Migration != join.Migration && !StepDecisions.IsDone(other, account.Steps)))
            .Select(join => join.Migration)
            .ToHashSet(StringComparer.Ordinal);
        var held = liveLeases.Select(l => (l.Migration, l.Mailbox)).ToHashSet();
        long runnable = 0, running = 0, waits = 0, done = 0, failed = 0;
        foreach (var mailbox in account.Mailboxes)
        {
            switch (mailbox.Status.State)
            {
                case MailboxState.Done:
                    done++;
                    break;
                case MailboxState.Failed:
                    failed++;
                    break;
                default:
                    if (held.Contains((mailbox.Migration, mailbox.Mailbox)))
                    {
                        running++;
                    }
                    else if (waiting.Contains(mailbox.Migration))
                    {
                        waits++;
                    }
                    else
                    {
                        runnable++;
                    }

                    break;
            }
        }

        return new QueueCounts(runnable, running, waits, done, failed);
    }

    /// <summary>The status JSON with <c>queue</c> and <c>workers</c> added; unchanged without a shared state.</summary>
    public static string AddToJson(string json, Report? report)
    {
        if (report is null)
        {
            return json;
        }

        var options = new System.Text.Json.JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };
        var document = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        document["queue"] = System.Text.Json.JsonSerializer.SerializeToNode(report.Queue, options);
        document["workers"] = System.Text.Json.JsonSerializer.SerializeToNode(report.Workers, options);
        return document.ToJsonString(options);
    }

    /// <summary>The queue line and the workers table, after the status text; empty without a shared state.</summary>
    public static string Text(Report? report, DateTimeOffset now)
    {
        if (report is null)
        {
            return string.Empty;
        }

        using var text = new StringWriter(CultureInfo.InvariantCulture);
        Write(text, report.Workers, report.Queue, now);
        return text.ToString();
    }

    private static void Write(TextWriter text, IReadOnlyList<WorkerRow> workers, QueueCounts queue, DateTimeOffset now)
    {
        text.WriteLine();
        text.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Queue: {queue.Runnable:N0} runnable, {queue.Running:N0} running, {queue.Waiting:N0} waiting on dependencies, {queue.Done:N0} done, {queue.Failed:N0} failed"));
        if (workers.Count == 0)
        {
            return;
        }

        text.WriteLine("Workers:");
        var hostWidth = Math.Max(4, workers.Max(w => w.Host.Length));
        text.WriteLine($"  {"worker",6}  {"host".PadRight(hostWidth)}  {"pid",7}  {"state",-20}  {"held",4}  {"done",5}  {"messages",9}  {"msg/s",7}  last heartbeat");
        foreach (var w in workers)
        {
            text.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {w.Worker,6}  {w.Host.PadRight(hostWidth)}  {w.Pid,7}  {w.State,-20}  {w.MailboxesHeld,4}  {w.MailboxesDone,5}  {w.Messages,9}  {w.MessagesPerSecond,7:0.0}  {w.LastHeartbeat:u} ({(now - w.LastHeartbeat).TotalSeconds:0} s ago)"));
        }
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

/// <summary>
/// The emulator's per-mailbox budgets and JSON batching, as strict as Microsoft documents them: every request on a
/// mailbox (a $batch step included) counts against 4 concurrent requests, 10,000 requests per 10 minutes and 150 MB of
/// PATCH/POST/PUT bodies per 5 minutes (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits);
/// a $batch without dependsOn runs up to 4 steps at once, each evaluated and throttled on its own, its 429 answered
/// inside the batch's 200 with the step's Retry-After (https://learn.microsoft.com/graph/json-batching,
/// https://learn.microsoft.com/graph/throttling).
/// </summary>
public sealed partial class GraphEmulator
{
    /// <summary>Marks a request the emulator sends to itself for one step of a $batch.</summary>
    internal const string BatchStepHeader = "X-Emulator-Batch-Step";

    private readonly Dictionary<string, Queue<(DateTimeOffset At, long Amount)>> _requestWindows = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<(DateTimeOffset At, long Amount)>> _uploadWindows = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Requests per mailbox within <see cref="RequestWindow"/> (Exchange Online: 10,000 per 10 minutes).</summary>
    public int RequestLimit { get; set; } = 10_000;

    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Bytes of PATCH/POST/PUT bodies per mailbox within <see cref="UploadWindow"/> (150 MB per 5 minutes).</summary>
    public long UploadLimit { get; set; } = 150L * 1024 * 1024;

    public TimeSpan UploadWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Answers 429 because a mailbox's request or upload window was full.</summary>
    public int WindowRejections { get; private set; }

    /// <summary>Steps received inside $batch requests.</summary>
    public int BatchSteps { get; private set; }

    /// <summary>Every PATCH body that reached a message (directly or as a batch step), as JSON text.</summary>
    public ConcurrentQueue<string> PatchBodies { get; } = new();

    /// <summary>Every json-mode message creation body (POST .../mailFolders/{id}/messages), as JSON text.</summary>
    public ConcurrentQueue<string> CreateBodies { get; } = new();

    /// <summary>
    /// Charges one request (and its body, for writes) to the mailbox's windows. Every request accrues, a throttled one
    /// too (https://learn.microsoft.com/graph/throttling: "all requests accrue against your usage limits"). Returns the
    /// seconds to wait when a window is full, null when the request may run.
    /// </summary>
    private int? ChargeWindows(string mailbox, string method, long bodyBytes)
    {
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            var requests = Window(_requestWindows, mailbox, now, RequestWindow);
            var wait = requests.Count >= RequestLimit ? requests.Peek().At + RequestWindow - now : (TimeSpan?)null;
            requests.Enqueue((now, 1));
            if (method is "PATCH" or "POST" or "PUT" && bodyBytes > 0)
            {
                var uploads = Window(_uploadWindows, mailbox, now, UploadWindow);
                var used = uploads.Sum(u => u.Amount);
                if (used + bodyBytes > UploadLimit && uploads.Count > 0)
                {
                    var uploadWait = uploads.Peek().At + UploadWindow - now;
                    wait = wait is null || uploadWait > wait ? uploadWait : wait;
                }
                else
                {
                    uploads.Enqueue((now, bodyBytes));
                }
            }

            if (wait is null)
            {
                return null;
            }

            WindowRejections++;
            return Math.Max(1, (int)Math.Ceiling(wait.Value.TotalSeconds));
        }
    }

    private static Queue<(DateTimeOffset At, long Amount)> Window(Dictionary<string, Queue<(DateTimeOffset At, long Amount)>> windows, string mailbox,
        DateTimeOffset now, TimeSpan length)
    {
        if (!windows.TryGetValue(mailbox, out var queue))
        {
            windows[mailbox] = queue = new Queue<(DateTimeOffset, long)>();
        }

        while (queue.Count > 0 && now - queue.Peek().At >= length)
        {
            queue.Dequeue();
        }

        return queue;
    }

    private void MapBatch()
    {
        // https://learn.microsoft.com/graph/json-batching: 1 to 20 steps with unique ids; without dependsOn the service
        // runs them in any order, up to 4 at once (Graph dispatches 4 steps of a batch to Outlook in parallel); with
        // dependsOn, one after another. Each step is an ordinary request to this server (limits, faults, throttling).
        _app.MapPost("/v1.0/$batch", async context =>
        {
            var body = await ReadJson(context);
            var requests = body?["requests"]?.AsArray();
            if (requests is null || requests.Count == 0 || requests.Count > 20)
            {
                await Error(context, 400, "BadRequest", "Number of requests must be between 1 and 20.");
                return;
            }

            var ids = requests.Select(r => r?["id"]?.GetValue<string>()).ToList();
            if (ids.Any(string.IsNullOrEmpty) || ids.Distinct(StringComparer.OrdinalIgnoreCase).Count() != ids.Count)
            {
                await Error(context, 400, "BadRequest", "Each request of a batch needs a unique id.");
                return;
            }

            lock (_gate)
            {
                BatchSteps += requests.Count;
            }

            var answers = new JsonObject[requests.Count];
            var sequential = requests.Any(r => r?["dependsOn"] is not null);
            using var parallel = new SemaphoreSlim(sequential ? 1 : 4);
            await Task.WhenAll(requests.Select(async (step, index) =>
            {
                await parallel.WaitAsync();
                try
                {
                    answers[index] = await RunBatchStepAsync(context, step!);
                }
                finally
                {
                    parallel.Release();
                }
            }));

            await Json(context, 200, new JsonObject { ["responses"] = new JsonArray([.. answers]) });
        });
    }

    private async Task<JsonObject> RunBatchStepAsync(HttpContext context, JsonNode step)
    {
        var url = step["url"]!.GetValue<string>();
        using var request = new HttpRequestMessage(new HttpMethod(step["method"]!.GetValue<string>()), BaseUrl + (url.StartsWith('/') ? url : "/" + url));
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(context.Request.Headers.Authorization.ToString());
        request.Headers.Add(BatchStepHeader, "1");
        if (step["body"] is { } stepBody)
        {
            request.Content = new StringContent(stepBody.ToJsonString(), Encoding.UTF8, "application/json");
        }

        var answer = new JsonObject { ["id"] = step["id"]!.GetValue<string>() };
        try
        {
            using var response = await _loopback.SendAsync(request);
            answer["status"] = (int)response.StatusCode;
            var headers = new JsonObject();
            if (response.Headers.RetryAfter?.Delta is { } delta)
            {
                headers["Retry-After"] = ((int)delta.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            var text = await response.Content.ReadAsStringAsync();
            if (text.Length > 0)
            {
                headers["Content-Type"] = "application/json";
                answer["body"] = JsonNode.Parse(text);
            }

            answer["headers"] = headers;
        }
        catch (HttpRequestException)
        {
            answer["status"] = 504;
            answer["body"] = new JsonObject { ["error"] = new JsonObject { ["code"] = "GatewayTimeout", ["message"] = "The step did not complete." } };
        }

        return answer;
    }
}

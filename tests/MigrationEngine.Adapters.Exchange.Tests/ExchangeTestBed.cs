using System.Net;
using MigrationEngine.Core;
using MigrationEngine.TestSupport;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.State.Sqlite;
using Serilog;
using Serilog.Core;
using Serilog.Events;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MigrationEngine.Adapters.Exchange.Tests;

/// <summary>
/// A copy of the example plans in a temp folder, a stub tenant (the stub module's JSON state), a loopback token service for
/// client-secret targets, and the plans' secrets in environment variables.
/// </summary>
public sealed class ExchangeTestBed : IDisposable
{
    public static readonly Dictionary<string, string> SecretValues = new()
    {
        ["ONPREM_ADMIN_PASSWORD"] = "onprem-S3cret!",
        ["MIGRATION_CERT_PASSWORD"] = "cert-S3cret!",
        ["EXO_CLIENT_SECRET"] = "client-S3cret!",
        ["STAGED_INITIAL_PASSWORD"] = "initial-S3cret!",
        ["MRS_ADMIN_PASSWORD"] = "mrs-S3cret!",
        ["IMAP_PASSWORD_TERRY"] = "terry-S3cret!",
        ["EXCHANGE_ADMIN_PASSWORD"] = "exadmin-S3cret!",
        ["DOVECOT_MASTER_PASSWORD"] = "master-S3cret!",
    };

    public const string FileSecret = "file-S3cret!";

    /// <summary>The private key inside the Google service account key file the gworkspace example names.</summary>
    public const string GooglePrivateKey = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-stub-google-key\\n-----END PRIVATE KEY-----\\n";

    private readonly HttpListener _tokenService;

    public ExchangeTestBed()
    {
        Root = Directory.CreateTempSubdirectory("exo-tests-").FullName;
        PlanFolder = Path.Combine(Root, "plans");
        var examples = RepoPaths.Of("plans", "examples");
        Directory.CreateDirectory(Path.Combine(PlanFolder, "mailboxes"));
        foreach (var file in Directory.GetFiles(examples, "*.yaml"))
        {
            File.Copy(file, Path.Combine(PlanFolder, Path.GetFileName(file)));
        }

        foreach (var file in Directory.GetFiles(Path.Combine(examples, "mailboxes")))
        {
            File.Copy(file, Path.Combine(PlanFolder, "mailboxes", Path.GetFileName(file)));
        }

        Directory.CreateDirectory(Path.Combine(PlanFolder, "secrets"));
        File.WriteAllText(Path.Combine(PlanFolder, "secrets", "exchange-admin.txt"), FileSecret + "\n");
        File.WriteAllText(Path.Combine(PlanFolder, "secrets", "google-service-account.json"),
            $$"""{"type":"service_account","project_id":"fabrikam-migration","private_key":"{{GooglePrivateKey}}","client_email":"migration@fabrikam-migration.iam.gserviceaccount.com"}""");
        Directory.CreateDirectory(Path.Combine(PlanFolder, "certs"));
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=migration-app", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            File.WriteAllBytes(Path.Combine(PlanFolder, "certs", "migration-app.pfx"), certificate.Export(X509ContentType.Pfx, SecretValues["MIGRATION_CERT_PASSWORD"]));
        }

        foreach (var (name, value) in SecretValues)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        StateFile = Path.Combine(Root, "tenant.json");
        Environment.SetEnvironmentVariable("EXO_STUB_STATE", StateFile);
        ModulePath = Path.Combine(AppContext.BaseDirectory, "StubModule");

        var port = FreePorts.Next();
        _tokenService = new HttpListener();
        _tokenService.Prefixes.Add($"http://127.0.0.1:{port}/");
        _tokenService.Start();
        TokenRequests = 0;
        _ = ServeTokensAsync();
        AuthorityHost = new Uri($"http://127.0.0.1:{port}/");
    }

    public string Root { get; }

    public string PlanFolder { get; }

    public string StateFile { get; }

    public string ModulePath { get; }

    public Uri AuthorityHost { get; }

    public int TokenRequests { get; private set; }

    public List<string> LogLines { get; } = [];

    public ExchangeExecutorOptions Options(string? organization = null) => new()
    {
        ModulePath = ModulePath,
        PollInterval = TimeSpan.Zero,
        MaxWait = TimeSpan.FromMinutes(1),
        Organization = organization,
        AuthorityHost = AuthorityHost,
    };

    /// <summary>
    /// Seeds the stub tenant: cutover mailboxes, users that fail once, users whose sync ends in a given status (IncrementalFailed,
    /// CompletionFailed, ...), and users graded by the Data Consistency Score with their skipped items.
    /// </summary>
    public void Seed(string[]? cutoverMailboxes = null, string[]? failOnce = null, Dictionary<string, string>? outcomes = null, Dictionary<string, (string Score, string[] Kinds)>? dcs = null)
    {
        var state = new JsonObject
        {
            ["CutoverMailboxes"] = new JsonArray((cutoverMailboxes ?? []).Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
            ["FailOnce"] = new JsonArray((failOnce ?? []).Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
            ["Outcomes"] = new JsonObject((outcomes ?? []).Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))),
            ["Dcs"] = new JsonObject((dcs ?? []).Select(d => KeyValuePair.Create(d.Key, (JsonNode?)new JsonObject
            {
                ["Score"] = d.Value.Score,
                ["Items"] = new JsonArray(d.Value.Kinds.Select((kind, i) => (JsonNode?)new JsonObject { ["Kind"] = kind, ["Subject"] = $"item {i + 1}", ["ScoringClassifications"] = kind }).ToArray()),
            }))),
        };
        File.WriteAllText(StateFile, state.ToJsonString());
    }

    /// <summary>Changes the stub tenant as the service would on its own (a batch removed after 60/90 days, a tuned endpoint, ...).</summary>
    public void ChangeTenant(Action<JsonObject> change)
    {
        var tenant = Tenant();
        change(tenant);
        File.WriteAllText(StateFile, tenant.ToJsonString());
    }

    /// <summary>Exchange Online removes a batch and its users (stopped and failed batches after 90 days, completed ones after 60).</summary>
    public void ServiceRemovesBatch(string batch) => ChangeTenant(tenant =>
    {
        tenant["Batches"]!.AsObject().Remove(batch);
        var users = tenant["Users"]!.AsObject();
        foreach (var user in users.Where(u => u.Value!["BatchId"]!.GetValue<string>() == batch).Select(u => u.Key).ToList())
        {
            users.Remove(user);
        }
    });

    /// <summary>The parameters each call of a command was made with, in call order.</summary>
    public List<List<string>> CallParameters(string command) => Tenant()["Calls"]!.AsArray()
        .Where(c => c!["Command"]!.GetValue<string>() == command)
        .Select(c => c!["Parameters"]!.AsArray().Select(p => p!.GetValue<string>()).ToList())
        .ToList();

    public JsonObject Tenant() => JsonNode.Parse(File.ReadAllText(StateFile))!.AsObject();

    private static readonly string[] Mutating = ["New-", "Set-", "Start-", "Complete-", "Remove-", "Stop-"];

    public static void AssertSucceeded(RunSummary summary) =>
        Assert.False(summary.Diagnostics.Any(d => d.IsError), string.Join("\n", summary.Diagnostics));

    /// <summary>The calls that change the tenant (every other call only reads).</summary>
    public List<string> MutatingCalls() => Calls().Where(c => Mutating.Any(m => c.StartsWith(m, StringComparison.Ordinal))).ToList();

    public List<string> Calls() => Tenant()["Calls"]!.AsArray().Select(c => c!["Command"]!.GetValue<string>()).ToList();

    public void ClearCalls()
    {
        var tenant = Tenant();
        tenant["Calls"] = new JsonArray();
        File.WriteAllText(StateFile, tenant.ToJsonString());
    }

    /// <summary>The tenant without the call log and with volatile fields: for comparing end states.</summary>
    public string TenantSnapshot()
    {
        var tenant = Tenant();
        tenant.Remove("Calls");
        tenant.Remove("Connected");
        tenant.Remove("Clock");
        return Canonical(tenant);
    }

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => "{" + string.Join(",", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonSerializer.Serialize(p.Key) + ":" + Canonical(p.Value))) + "}",
        JsonArray array => "[" + string.Join(",", array.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };

    public PlanModel LoadPlan(string fileName)
    {
        var result = PlanPipeline.Load(Path.Combine(PlanFolder, fileName));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Plan!;
    }

    public async Task<RunSummary> ApplyAsync(PlanModel plan, ExchangeExecutorOptions options)
    {
        await using var store = await SqliteStateStore.OpenAsync(Path.Combine(Root, "state.db"), CancellationToken.None);
        var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new ListSink(LogLines)).CreateLogger();
        var executor = new Executor(store, new AdapterRegistry().Add(new ExchangeMigrationExecutor(options)), logger);
        return await executor.ApplyAsync(plan, PlanCompiler.Compile(plan), new ExecutionOptions(), CancellationToken.None);
    }

    public async Task<IReadOnlyDictionary<string, MigrationEngine.Core.State.StepRecord>> StepsAsync(string planName)
    {
        await using var store = await SqliteStateStore.OpenAsync(Path.Combine(Root, "state.db"), CancellationToken.None);
        return await store.GetStepsAsync(planName, CancellationToken.None);
    }

    public void AssertNoSecretLeaked(IEnumerable<string> texts)
    {
        var all = string.Join("\n", texts);
        foreach (var secret in SecretValues.Values.Append(FileSecret).Append("stub-access-token").Append("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-stub-google-key"))
        {
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        }
    }

    private async Task ServeTokensAsync()
    {
        while (_tokenService.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _tokenService.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var form = await reader.ReadToEndAsync();
            TokenRequests++;
            var fields = form.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => WebUtility.UrlDecode(p[0]), p => p.Length > 1 ? WebUtility.UrlDecode(p[1]) : string.Empty);
            var ok = fields.GetValueOrDefault("client_secret") == SecretValues["EXO_CLIENT_SECRET"] && fields.GetValueOrDefault("grant_type") == "client_credentials"
                && fields.GetValueOrDefault("scope") == "https://outlook.office365.com/.default";
            var body = ok
                ? """{"token_type":"Bearer","expires_in":3599,"access_token":"stub-access-token"}"""
                : """{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}""";
            context.Response.StatusCode = ok ? 200 : 401;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _tokenService.Stop();
        _tokenService.Close();
        TempDirectory.Delete(Root);
    }

    private sealed class ListSink(List<string> lines) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            lock (lines)
            {
                lines.Add(logEvent.RenderMessage() + (logEvent.Exception is null ? string.Empty : " " + logEvent.Exception));
            }
        }
    }
}

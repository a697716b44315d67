using System.Text;
using MigrationEngine.Adapters.Graph.Tests.Emulator;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;
using MigrationEngine.TestSupport;
using MimeKit;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>An emulator, a plan folder with the secret and CA files, and a factory wired to them.</summary>
internal sealed class GraphTestBed : IAsyncDisposable
{
    private GraphTestBed(GraphEmulator emulator, string directory, GraphTargetFactory factory)
    {
        Emulator = emulator;
        Directory = directory;
        Factory = factory;
        Logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(Logs).CreateLogger();
    }

    public GraphEmulator Emulator { get; }
    public string Directory { get; }
    public GraphTargetFactory Factory { get; }
    public CapturingSink Logs { get; } = new();
    public ILogger Logger { get; }

    public static async Task<GraphTestBed> StartAsync(GraphTargetOptions? options = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("graph-tests-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "client-secret.txt"), GraphEmulator.ClientSecret + "\n");
        var emulator = await GraphEmulator.StartAsync(directory);
        return new GraphTestBed(emulator, directory, new GraphTargetFactory(options ?? FastOptions));
    }

    /// <summary>Production limits except the waits, which are shortened so tests take seconds.</summary>
    public static GraphTargetOptions FastOptions { get; } = new()
    {
        ConnectionRetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetries = 4,
        MailboxReadyFirstPoll = TimeSpan.FromMilliseconds(100),
        MailboxReadyMaxPoll = TimeSpan.FromMilliseconds(400),
        MailboxReadyTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>An HTTP client with an application token of the emulator, for requests a careless client would send.</summary>
    public async Task<HttpClient> AuthorizedClientAsync()
    {
        var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = GraphEmulator.ClientId, ["client_secret"] = GraphEmulator.ClientSecret,
            ["scope"] = "https://graph.microsoft.com/.default",
        });
        var answer = await http.PostAsync($"{Emulator.Root}/{GraphEmulator.TenantId}/oauth2/v2.0/token", form);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", json["access_token"]!.GetValue<string>());
        return http;
    }

    public EndpointDefinition Endpoint(string? importMode = null, ProvisionDefinition? provision = null, string secretFile = "client-secret.txt",
        SecretReference? certificate = null) => new()
    {
        Name = "o365",
        Role = EndpointRole.Target,
        Type = EndpointType.Graph,
        Location = new SourceLocation(Path.Combine(Directory, "plan.yaml"), 12, 5),
        TenantId = GraphEmulator.TenantId,
        ClientId = GraphEmulator.ClientId,
        ClientSecret = certificate is null ? SecretReference.Parse("file:" + secretFile) : null,
        Certificate = certificate,
        Endpoint = Emulator.BaseUrl,
        AuthorityHost = Emulator.AuthorityHost,
        CaFile = Emulator.CaFile,
        ImportMode = PlanVocabulary.ImportModes.Parse(importMode),
        Provision = provision,
        CanonicalSettings = $"{{\"importMode\":\"{importMode}\",\"secret\":\"{secretFile}\",\"cert\":\"{certificate?.Display}\"}}",
    };

    public MailboxContext Context(EndpointDefinition endpoint, string address, int line = 20)
    {
        var plan = new PlanModel
        {
            Name = "graph-test",
            PlanFile = Path.Combine(Directory, "plan.yaml"),
            ContentHash = "0",
            Targets = new Dictionary<string, EndpointDefinition> { [endpoint.Name] = endpoint },
        };
        var migration = new MigrationDefinition
        {
            Name = "move",
            Type = MigrationType.Imap,
            From = "src",
            To = endpoint.Name,
            Location = new SourceLocation(plan.PlanFile, 30, 3),
            CanonicalSettings = "{}",
        };
        var mailbox = new MailboxEntry
        {
            SourceAddress = address,
            TargetAddress = address,
            Location = new SourceLocation(plan.PlanFile, line, 7),
        };
        return new MailboxContext(plan, migration, endpoint, mailbox, Logger);
    }

    public async Task<IMailTarget> OpenAsync(string address, string? importMode = null) =>
        await Factory.OpenAsync(Context(Endpoint(importMode), address), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Factory.Dispose();
        if (Environment.GetEnvironmentVariable("GRAPH_EMULATOR_LOG") is { Length: > 0 } log)
        {
            await File.AppendAllLinesAsync(log, Emulator.RequestLog);
        }

        await Emulator.DisposeAsync();
        TempDirectory.Delete(Directory);
    }
}

internal sealed class CapturingSink : ILogEventSink
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public void Emit(LogEvent logEvent)
    {
        var text = logEvent.RenderMessage() + (logEvent.Exception is null ? string.Empty : " " + logEvent.Exception);
        lock (_lines)
        {
            _lines.Add(text);
        }
    }
}

/// <summary>Builds test messages as a source would hand them to a target.</summary>
internal static class TestMail
{
    public static byte[] Build(string subject, string? messageId = "auto", int bodyBytes = 200, int attachmentBytes = 0,
        DateTimeOffset? date = null, string from = "Alice Example <alice@source.example>")
    {
        var message = new MimeMessage();
        message.From.Add(InternetAddress.Parse(from));
        message.To.Add(InternetAddress.Parse("Bob <bob@contoso.example>"));
        message.Subject = subject;
        message.Date = date ?? new DateTimeOffset(2021, 3, 4, 5, 6, 7, TimeSpan.FromHours(1));
        message.Headers.Add("X-Mailer", "MigrationEngine tests");
        if (messageId == "auto")
        {
            message.MessageId = Guid.NewGuid().ToString("N") + "@source.example";
        }
        else if (messageId is null)
        {
            message.Headers.Remove(HeaderId.MessageId);
        }
        else
        {
            message.MessageId = messageId;
        }

        var text = new TextPart("plain") { Text = new string('x', bodyBytes) + "\nend\n" };
        if (attachmentBytes > 0)
        {
            var content = new byte[attachmentBytes];
            new Random(attachmentBytes).NextBytes(content);
            var attachment = new MimePart("application", "octet-stream")
            {
                Content = new MimeContent(new MemoryStream(content)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = "data.bin",
            };
            message.Body = new Multipart("mixed") { text, attachment };
        }
        else
        {
            message.Body = text;
        }

        using var stream = new MemoryStream();
        message.WriteTo(FormatOptions.Default, stream);
        var bytes = stream.ToArray();
        if (messageId is null)
        {
            // MimeKit adds a Message-ID when serialising; a source message without one must not have it.
            var text2 = Encoding.UTF8.GetString(bytes);
            var start = text2.IndexOf("Message-Id:", StringComparison.OrdinalIgnoreCase);
            if (start >= 0)
            {
                var end = text2.IndexOf('\n', start);
                text2 = text2.Remove(start, end - start + 1);
                bytes = Encoding.UTF8.GetBytes(text2);
            }
        }

        return bytes;
    }

    public static SourceMessage Summary(byte[] bytes, string sourceId, MailFlags flags = MailFlags.None, DateTimeOffset? internalDate = null)
    {
        using var stream = new MemoryStream(bytes);
        var headers = HeaderList.Load(stream);
        var messageId = headers[HeaderId.MessageId];
        return new SourceMessage
        {
            SourceId = sourceId,
            Size = bytes.Length,
            Flags = flags,
            InternalDate = internalDate ?? new DateTimeOffset(2021, 3, 4, 6, 0, 0, TimeSpan.Zero),
            MessageId = messageId,
            DedupKey = DedupKeys.Compute(messageId, headers[HeaderId.Date], headers[HeaderId.From], headers[HeaderId.Subject]),
        };
    }

    public static MessageContent Content(byte[] bytes, string sourceId, MailFlags flags = MailFlags.None, DateTimeOffset? internalDate = null) =>
        new(Summary(bytes, sourceId, flags, internalDate), new MemoryStream(bytes), bytes.Length);
}

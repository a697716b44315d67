using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MigrationEngine.Adapters.Dav.Tests;

/// <summary>One answer of the scripted server.</summary>
public sealed record ScriptedAnswer(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null)
{
    public static ScriptedAnswer Multistatus(string body) => new(207, body);
}

/// <summary>A request as the scripted server saw it.</summary>
public sealed record SeenRequest(string Method, string Path, string? Depth, string? Authorization, string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// An HTTP server on a free 127.0.0.1 port that answers each request with what the test's function returns: server
/// answers recorded from real servers, and the hostile or failing ones real servers rarely give on demand.
/// </summary>
public sealed class ScriptedDavServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<SeenRequest, ScriptedAnswer> _answer;
    private readonly Task _loop;

    public ScriptedDavServer(Func<SeenRequest, ScriptedAnswer> answer)
    {
        _answer = answer;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    public List<SeenRequest> Requests { get; } = [];

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            var seen = new SeenRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers["Depth"],
                context.Request.Headers["Authorization"], await reader.ReadToEndAsync(), headers);
            ScriptedAnswer answer;
            lock (Requests)
            {
                Requests.Add(seen);
                answer = _answer(seen);
            }

            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            if (bytes.Length > 0)
            {
                context.Response.ContentType = "application/xml; charset=utf-8";
            }

            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener.
        }
    }
}

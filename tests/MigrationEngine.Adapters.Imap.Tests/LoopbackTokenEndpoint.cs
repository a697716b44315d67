using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// A tiny OAuth token endpoint on 127.0.0.1 (plain HTTP/1.1 over a TcpListener): records each POSTed form and answers with
/// what <see cref="Answer"/> returns, as Google's token endpoint would (JSON body, one request per connection).
/// </summary>
public sealed class LoopbackTokenEndpoint : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackTokenEndpoint()
    {
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string TokenUri => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/token";

    /// <summary>The form fields of every request, in order.</summary>
    public List<Dictionary<string, string>> Requests { get; } = [];

    /// <summary>Status and JSON body for a request's form.</summary>
    public Func<Dictionary<string, string>, (int Status, string Body)> Answer { get; set; } =
        _ => (200, """{"access_token":"ya29.test-token","expires_in":3599,"token_type":"Bearer"}""");

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            using (client)
            {
                await AnswerAsync(client.GetStream());
            }
        }
    }

    private async Task AnswerAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOf(received, "\r\n\r\n"u8.ToArray())) < 0)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        var head = Encoding.ASCII.GetString(received.GetRange(0, headerEnd).ToArray());
        var length = head.Split("\r\n").Skip(1).Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(parts => int.Parse(parts[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        while (received.Count < headerEnd + 4 + length)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        var body = Encoding.ASCII.GetString(received.GetRange(headerEnd + 4, length).ToArray());
        var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => WebUtility.UrlDecode(pair[0]), pair => WebUtility.UrlDecode(pair.Length > 1 ? pair[1] : string.Empty));
        form["(request line)"] = head.Split("\r\n")[0];
        lock (Requests)
        {
            Requests.Add(form);
        }

        var (status, json) = Answer(form);
        var payload = Encoding.UTF8.GetBytes(json);
        var response = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\nContent-Type: application/json; charset=utf-8\r\n"
            + $"Content-Length: {payload.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
        await stream.WriteAsync(payload, _stop.Token);
    }

    private static int IndexOf(List<byte> data, byte[] pattern)
    {
        for (var i = 0; i + pattern.Length <= data.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++)
            {
                match = data[i + j] == pattern[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}

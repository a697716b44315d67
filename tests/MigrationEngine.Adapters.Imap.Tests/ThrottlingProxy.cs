using System.Net.Sockets;
using System.Text;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>One throttling answer the proxy gives, instead of the server, to the first client command that matches.</summary>
/// <param name="Matches">Tested on the command line without its tag, e.g. "UID FETCH 1:50 (BODY.PEEK[])".</param>
/// <param name="Answer">The tagged answer; "{tag}" is replaced by the command's tag.</param>
/// <param name="ThenClose">Sends "* BYE" and closes the connection after the answer, as Exchange Online does.</param>
public sealed record ThrottleRule(Func<string, bool> Matches, string Answer, bool ThenClose = false);

/// <summary>
/// Forwards 127.0.0.1 connections to an IMAP server, records the client's commands, and answers, once per rule, the first matching command itself with the
/// throttling answers Exchange Online gives ("NO Request is throttled. Suggested Backoff Time: N milliseconds", "BAD ...",
/// then "* BYE Connection closed. 14"). The command never reaches the server, so nothing it would have stored is stored.
/// Client commands are parsed for literals ({n} and {n+}), so an APPEND is swallowed whole.
/// </summary>
public sealed class ThrottlingProxy : LoopbackProxy
{
    private readonly List<ThrottleRule> _pending;

    public ThrottlingProxy(int targetPort, params ThrottleRule[] rules)
        : base(targetPort)
    {
        _pending = [.. rules];
        Start();
    }

    /// <summary>The answers given so far, with their tags.</summary>
    public List<string> Answered { get; } = [];

    /// <summary>Every client command line seen so far, without its tag (what the client asked of the server).</summary>
    public List<string> Commands { get; } = [];

    /// <summary>The commands seen since the last call.</summary>
    public List<string> TakeCommands()
    {
        lock (Commands)
        {
            var taken = Commands.ToList();
            Commands.Clear();
            return taken;
        }
    }

    protected override void Relay(TcpClient client, TcpClient server)
    {
        var toClient = new SemaphoreSlim(1, 1);
        _ = ServerToClientAsync(server.GetStream(), client.GetStream(), toClient);
        _ = ClientToServerAsync(client, server, toClient);
    }

    private async Task ServerToClientAsync(NetworkStream from, NetworkStream to, SemaphoreSlim gate)
    {
        var buffer = new byte[16384];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, Stop.Token)) > 0)
            {
                await gate.WaitAsync(Stop.Token);
                try
                {
                    await to.WriteAsync(buffer.AsMemory(0, read), Stop.Token);
                }
                finally
                {
                    gate.Release();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // Either side closed.
        }
    }

    private async Task ClientToServerAsync(TcpClient client, TcpClient server, SemaphoreSlim gate)
    {
        var reader = new BufferedStream(client.GetStream());
        var toServer = server.GetStream();
        try
        {
            while (true)
            {
                // One command: its first line, then every literal and the line after it. A command no rule takes goes
                // on to the server piece by piece (a synchronizing literal waits for the server's "+" in between).
                var piece = new MemoryStream();
                var first = await ReadLineAsync(reader, piece);
                if (first is null)
                {
                    return;
                }

                var space = first.IndexOf(' ', StringComparison.Ordinal);
                var tag = space > 0 ? first[..space] : first;
                var command = space > 0 ? first[(space + 1)..] : string.Empty;
                lock (Commands)
                {
                    Commands.Add(command);
                }

                var rule = Take(command);
                var line = first;
                while (true)
                {
                    if (rule is null)
                    {
                        await toServer.WriteAsync(piece.ToArray(), Stop.Token);
                    }
                    else if (line.EndsWith('}') && !line.EndsWith("+}", StringComparison.Ordinal))
                    {
                        await WriteToClientAsync(client, gate, "+ Ready for literal data\r\n");
                    }

                    piece.SetLength(0);
                    if (LiteralLength(line) is not { } length)
                    {
                        break;
                    }

                    var literal = new byte[length];
                    await reader.ReadExactlyAsync(literal, Stop.Token);
                    piece.Write(literal);
                    line = await ReadLineAsync(reader, piece) ?? string.Empty;
                }

                if (rule is null)
                {
                    continue;
                }

                var answer = rule.Answer.Replace("{tag}", tag, StringComparison.Ordinal) + "\r\n" + (rule.ThenClose ? "* BYE Connection closed. 14\r\n" : string.Empty);
                lock (Answered)
                {
                    Answered.Add(answer.TrimEnd());
                }

                await WriteToClientAsync(client, gate, answer);
                if (rule.ThenClose)
                {
                    client.Dispose();
                    server.Dispose();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException or EndOfStreamException)
        {
            // Either side closed.
        }
    }

    private async Task WriteToClientAsync(TcpClient client, SemaphoreSlim gate, string text)
    {
        await gate.WaitAsync(Stop.Token);
        try
        {
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(text), Stop.Token);
        }
        finally
        {
            gate.Release();
        }
    }

    private ThrottleRule? Take(string command)
    {
        lock (_pending)
        {
            var rule = _pending.FirstOrDefault(r => r.Matches(command));
            if (rule is not null)
            {
                _pending.Remove(rule);
            }

            return rule;
        }
    }

    /// <summary>The literal announced at the end of a line ("{123}" or "{123+}"), if any.</summary>
    private static int? LiteralLength(string line)
    {
        if (!line.EndsWith('}'))
        {
            return null;
        }

        var open = line.LastIndexOf('{');
        var digits = line[(open + 1)..^1].TrimEnd('+');
        return open >= 0 && int.TryParse(digits, out var length) ? length : null;
    }

    /// <summary>Reads one CRLF-terminated line, copying its bytes (CRLF included) to <paramref name="copy"/>.</summary>
    private async Task<string?> ReadLineAsync(Stream stream, MemoryStream copy)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, Stop.Token) == 0)
            {
                return null;
            }

            copy.WriteByte(one[0]);
            if (one[0] == '\n')
            {
                break;
            }

            bytes.Add(one[0]);
        }

        if (bytes.Count > 0 && bytes[^1] == '\r')
        {
            bytes.RemoveAt(bytes.Count - 1);
        }

        return Encoding.Latin1.GetString(bytes.ToArray());
    }
}

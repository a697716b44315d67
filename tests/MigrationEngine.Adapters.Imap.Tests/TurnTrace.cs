using System.Text;
using MailKit;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// A MailKit protocol logger that tells the sequential round trips of one connection: a turn begins each time the client
/// sends after the server has spoken since the client last sent, i.e. each time the client waited for an answer before
/// going on. Each turn keeps the command words the client sent in it ("APPEND", "UID FETCH", ...; "literal" for data
/// sent after a continuation request).
/// </summary>
public sealed class TurnTrace : IProtocolLogger
{
    private readonly object _gate = new();
    private readonly List<List<string>> _turns = [];
    private readonly List<(long Start, long End)> _times = [];
    private bool _serverSpoke = true;

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    /// <summary>When each turn began (the client's first byte) and ended (the server's last byte before the next turn), in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public IReadOnlyList<(long Start, long End)> Times
    {
        get
        {
            lock (_gate)
            {
                return _times.ToList();
            }
        }
    }

    public IReadOnlyList<IReadOnlyList<string>> Turns
    {
        get
        {
            lock (_gate)
            {
                return _turns.Select(t => (IReadOnlyList<string>)t.ToList()).ToList();
            }
        }
    }

    public void LogConnect(Uri uri)
    {
    }

    public void LogClient(byte[] buffer, int offset, int count)
    {
        var text = Encoding.Latin1.GetString(buffer, offset, count);
        lock (_gate)
        {
            if (_serverSpoke || _turns.Count == 0)
            {
                _turns.Add([]);
                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                _times.Add((now, now));
                _serverSpoke = false;
            }

            foreach (var line in text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
            {
                _turns[^1].Add(CommandOf(line));
            }
        }
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            _serverSpoke = true;
            if (_times.Count > 0)
            {
                _times[^1] = (_times[^1].Start, System.Diagnostics.Stopwatch.GetTimestamp());
            }
        }
    }

    public void Dispose()
    {
    }

    /// <summary>"A0007 UID FETCH 1:50 (BODY.PEEK[])" gives "UID FETCH"; a line that is no tagged command gives "literal".</summary>
    private static string CommandOf(string line)
    {
        var words = line.Split(' ', 4);
        if (words.Length < 2 || words[0].Length < 2 || !char.IsAsciiLetter(words[0][0]) || !words[0].Skip(1).All(char.IsAsciiDigit))
        {
            return "literal";
        }

        return words[1] == "UID" && words.Length > 2 ? "UID " + words[2] : words[1];
    }
}

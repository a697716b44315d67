using System.Net;
using System.Text;
using MailKit;
using MailKit.Security;

namespace MigrationEngine.Adapters.Imap;

/// <summary>
/// MailKit's first use, taken on the start-up warm-up's core before the first mailbox needs it: a session with a scripted
/// server in memory (greeting, AUTHENTICATE PLAIN, NAMESPACE, the listings a delta pass sends, LOGOUT). In a no-op pass
/// the main thread otherwise pays for MailKit's types, its parser and the boxes of its asynchronous methods (compiled at
/// run time) between the state's first writes and the first command, on the run's path. Nothing leaves the process:
/// the "server" is <see cref="ScriptedServer"/>, no socket is opened and no credential is real.
/// </summary>
public static class ImapWarmup
{
    /// <summary>Runs the scripted session; any failure is ignored (the real session meets MailKit cold, nothing more).</summary>
    public static void Run()
    {
        try
        {
            // A host given as an address (an on-premises server, a loopback test) is parsed before the connect.
            IPAddress.TryParse("127.0.0.1", out _);
            RunAsync().GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or NotSupportedException or FormatException
            or AuthenticationException or ProtocolException or CommandException)
        {
            // Only a head start.
        }
    }

    /// <summary>The scripted session itself, failures not caught (for tests: the server records what it was asked).</summary>
    internal static async Task RunAsync(ScriptedServer? server = null)
    {
        using var client = new SpoolingImapClient(new SpoolBudget(SpoolBudget.DefaultMaxInMemoryBytes, SpoolBudget.DefaultMaxInMemoryMessageBytes), new NullProtocolLogger());
        server ??= new ScriptedServer();
        await client.ConnectAsync(server, "warm-up.invalid", 143, SecureSocketOptions.None);
        await client.AuthenticateAsync("warm-up", "warm-up");
        // The source's listing with its cursors, then the target's two (folders, then counts), as a delta pass sends them.
        await ImapSession.ListFoldersAsync(client, StatusItems.UidValidity | StatusItems.Count | StatusItems.UidNext | StatusItems.HighestModSeq, CancellationToken.None);
        await ImapSession.ListFoldersAsync(client, StatusItems.None, CancellationToken.None);
        await ImapSession.ListFoldersAsync(client, StatusItems.Count, CancellationToken.None);
        await client.DisconnectAsync(true);
    }

    /// <summary>
    /// A server in memory that answers each command line by its verb with what Dovecot would send. Each read yields once
    /// before answering, as a socket read does, so MailKit's asynchronous methods really suspend and their state machine
    /// boxes (which the composite image does not hold for reference-type results) are compiled here, not in the first session.
    /// </summary>
    internal sealed class ScriptedServer : Stream
    {
        private const string Capabilities = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ NAMESPACE LIST-EXTENDED LIST-STATUS CONDSTORE UIDPLUS MULTIAPPEND";
        private readonly MemoryStream _pending = new();
        private readonly StringBuilder _written = new();

        /// <summary>Every command line the client sent, tags included, in order.</summary>
        public List<string> Commands { get; } = [];

        public ScriptedServer() => Queue($"* OK [CAPABILITY {Capabilities} AUTH=PLAIN] ready.\r\n");

        /// <summary>What the server answers to one command line (its tag and its verb decide).</summary>
        internal static string Answer(string line)
        {
            var parts = line.Split(' ', 3);
            var tag = parts[0];
            var verb = parts.Length > 1 ? parts[1].ToUpperInvariant() : string.Empty;
            var rest = parts.Length > 2 ? parts[2] : string.Empty;
            return verb switch
            {
                "AUTHENTICATE" or "LOGIN" => $"{tag} OK [CAPABILITY {Capabilities}] Logged in\r\n",
                "NAMESPACE" => $"* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n{tag} OK Namespace completed.\r\n",
                "LIST" when rest.Contains("\"INBOX\"", StringComparison.Ordinal) => $"* LIST (\\Subscribed \\HasNoChildren) \"/\" INBOX\r\n{tag} OK List completed.\r\n",
                "LIST" => "* LIST (\\Subscribed \\HasNoChildren) \"/\" INBOX\r\n"
                    + (rest.Contains("STATUS", StringComparison.Ordinal) ? "* STATUS INBOX (MESSAGES 2 UIDNEXT 3 UIDVALIDITY 7 HIGHESTMODSEQ 4)\r\n" : string.Empty)
                    + "* LIST (\\HasNoChildren) \"/\" \"Archive/2024\"\r\n"
                    + (rest.Contains("STATUS", StringComparison.Ordinal) ? "* STATUS \"Archive/2024\" (MESSAGES 1 UIDNEXT 2 UIDVALIDITY 7 HIGHESTMODSEQ 2)\r\n" : string.Empty)
                    + $"{tag} OK List completed.\r\n",
                "LOGOUT" => $"* BYE Logging out\r\n{tag} OK Logout completed.\r\n",
                _ => $"{tag} OK Completed.\r\n",
            };
        }

        private void Queue(string text)
        {
            var position = _pending.Position;
            _pending.Seek(0, SeekOrigin.End);
            _pending.Write(Encoding.ASCII.GetBytes(text));
            _pending.Position = position;
        }

        public override int Read(byte[] buffer, int offset, int count) => _pending.Read(buffer, offset, count);

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return _pending.Read(buffer, offset, count);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return _pending.Read(buffer.Span);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _written.Append(Encoding.ASCII.GetString(buffer, offset, count));
            var text = _written.ToString();
            int end;
            while ((end = text.IndexOf("\r\n", StringComparison.Ordinal)) >= 0)
            {
                Commands.Add(text[..end]);
                Queue(Answer(text[..end]));
                text = text[(end + 2)..];
            }

            _written.Clear().Append(text);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.ToArray(), 0, buffer.Length);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

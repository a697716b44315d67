using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MigrationEngine.Core.Execution;
using Serilog.Core;
using Serilog.Events;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// An IMAP target mailbox records the plan and state writing to it in a METADATA entry (RFC 5464), with the rules of the
/// Maildir marker: another state is refused unless the plan shares targets, and a fresh state of the same plan takes over
/// once the owner's run is over. A server without METADATA is named once and the copy goes on.
/// </summary>
[Collection(DovecotCollection.Name)]
[Trait("Category", "Server")]
public sealed class ImapOwnerMarkerTests(DovecotFixture dovecot)
{
    private static readonly ImapTargetFactory Targets = new();

    // A writer on another host may still be running; one on this host whose process is gone has finished.
    private static readonly string ActiveElsewhere = "another-host/4242/638000000/run-a";
    private static readonly string FinishedHere = $"{Environment.MachineName}/{int.MaxValue}/1/run-b";

    [Fact]
    public async Task Another_state_is_refused_unless_the_plan_shares_and_a_fresh_state_takes_over_a_finished_run()
    {
        var user = dovecot.NewUser("owner-marker");
        var first = Owner("imap-test", 1, ActiveElsewhere, fresh: false);
        await OpenAndCloseAsync(Context(user, first));
        Assert.Equal(first.Serialize(), await ReadMarkerAsync(user));

        // The same state from another run (a later apply) rewrites the marker with its own run.
        var later = first with { Writer = FinishedHere };
        await OpenAndCloseAsync(Context(user, later));
        Assert.Equal(later.Serialize(), await ReadMarkerAsync(user));

        // Another state of the same plan, not fresh: refused, and the marker stays.
        var other = Owner("imap-test", 2, ActiveElsewhere, fresh: false);
        var refused = await Assert.ThrowsAsync<MigrationException>(() => OpenAndCloseAsync(Context(user, other)));
        Assert.Equal("MIG0240", refused.Diagnostic.Code);
        Assert.Contains(ImapOwnerMarker.Entry, refused.Diagnostic.Hint, StringComparison.Ordinal);
        Assert.Equal(later.Serialize(), await ReadMarkerAsync(user));

        // The plan says states may share: allowed, and the marker still names the first owner.
        await OpenAndCloseAsync(Context(user, other, allowShared: true));
        Assert.Equal(later.Serialize(), await ReadMarkerAsync(user));

        // A fresh state of the same plan takes over: the owner's run is over.
        var fresh = Owner("imap-test", 3, ActiveElsewhere, fresh: true);
        await OpenAndCloseAsync(Context(user, fresh));
        Assert.Equal(fresh.Serialize(), await ReadMarkerAsync(user));

        // ... but not from a run that may still be writing (on another host), nor for another plan.
        var fresher = Owner("imap-test", 4, ActiveElsewhere, fresh: true);
        Assert.Equal("MIG0240", (await Assert.ThrowsAsync<MigrationException>(() => OpenAndCloseAsync(Context(user, fresher)))).Diagnostic.Code);
    }

    [Fact]
    public async Task A_marker_this_engine_did_not_write_is_reported_not_overwritten()
    {
        var user = dovecot.NewUser("owner-marker-foreign");
        await WriteMarkerAsync(user, "written by someone else");
        var error = await Assert.ThrowsAsync<MigrationException>(() => OpenAndCloseAsync(Context(user, Owner("imap-test", 1, ActiveElsewhere, fresh: true))));
        Assert.Equal("MIG0241", error.Diagnostic.Code);
        Assert.Equal("written by someone else", await ReadMarkerAsync(user));
    }

    [Fact]
    public async Task A_server_without_metadata_is_named_once_and_the_target_opens()
    {
        var user = dovecot.NewUser("owner-marker-none");
        await using var proxy = new MetadataHidingProxy(dovecot.PlainPort);
        var sink = new CollectingSink();
        var logger = new Serilog.LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        for (var run = 0; run < 2; run++)
        {
            await OpenAndCloseAsync(Context(user, Owner("imap-test", 10 + run, ActiveElsewhere, fresh: false), port: proxy.Port) with { Logger = logger });
        }

        Assert.Single(sink.Lines, line => line.Contains("MIG1220", StringComparison.Ordinal));
        Assert.Null(await ReadMarkerAsync(user));
    }

    private static TargetOwner Owner(string plan, int state, string writer, bool fresh) =>
        new(plan, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(state), $"state-{state}.db", fresh, writer);

    private MailboxContext Context(TestUser user, TargetOwner owner, bool allowShared = false, int? port = null)
    {
        var context = TestPlans.Target(dovecot, user, port);
        return context with { Plan = context.Plan with { AllowSharedTargets = allowShared }, TargetOwner = owner };
    }

    private static async Task OpenAndCloseAsync(MailboxContext context)
    {
        var target = await Targets.OpenAsync(context, CancellationToken.None);
        await target.DisposeAsync();
    }

    private async Task<string?> ReadMarkerAsync(TestUser user)
    {
        using var client = await LoginAsync(user);
        try
        {
            return await client.Inbox.GetMetadataAsync(new MetadataTag(ImapOwnerMarker.Entry));
        }
        catch (ImapProtocolException ex) when (ex.Message.Contains("NIL", StringComparison.Ordinal))
        {
            // MailKit 4.18 cannot parse the NIL of an entry without a value (see ImapOwnerMarker).
            return null;
        }
    }

    private async Task WriteMarkerAsync(TestUser user, string value)
    {
        using var client = await LoginAsync(user);
        await client.Inbox.SetMetadataAsync(new MetadataCollection([new Metadata(new MetadataTag(ImapOwnerMarker.Entry), value)]));
    }

    private async Task<ImapClient> LoginAsync(TestUser user)
    {
        var client = new ImapClient();
        await client.ConnectAsync(dovecot.Host, dovecot.PlainPort, MailKit.Security.SecureSocketOptions.None);
        await client.AuthenticateAsync(user.Address, user.Password);
        return client;
    }

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.ToList();
                }
            }
        }

        public void Emit(LogEvent logEvent)
        {
            lock (_lines)
            {
                _lines.Add(logEvent.RenderMessage());
            }
        }
    }

    /// <summary>Relays a plain IMAP connection but hides METADATA from the server's capabilities (a server without it).</summary>
    private sealed class MetadataHidingProxy : LoopbackProxy
    {
        private static readonly byte[] Capability = Encoding.ASCII.GetBytes("METADATA");
        private static readonly byte[] Hidden = Encoding.ASCII.GetBytes("XMETADAT");

        public MetadataHidingProxy(int targetPort)
            : base(targetPort)
        {
            Start();
        }

        protected override void Relay(TcpClient client, TcpClient server)
        {
            _ = CopyAsync(server.GetStream(), client.GetStream(), hide: true);
            _ = CopyAsync(client.GetStream(), server.GetStream(), hide: false);
        }

        private async Task CopyAsync(NetworkStream from, NetworkStream to, bool hide)
        {
            var buffer = new byte[16384];
            try
            {
                int read;
                while ((read = await from.ReadAsync(buffer, Stop.Token)) > 0)
                {
                    if (hide)
                    {
                        for (var at = buffer.AsSpan(0, read).IndexOf(Capability); at >= 0; at = IndexFrom(buffer, read, at + 1))
                        {
                            Hidden.CopyTo(buffer, at);
                        }
                    }

                    await to.WriteAsync(buffer.AsMemory(0, read), Stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
            {
                // Either side closed.
            }
        }

        private static int IndexFrom(byte[] buffer, int length, int start)
        {
            var next = buffer.AsSpan(start, length - start).IndexOf(Capability);
            return next < 0 ? -1 : start + next;
        }
    }
}

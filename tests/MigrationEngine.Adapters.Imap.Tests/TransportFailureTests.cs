using System.Net.Sockets;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// The adapter classifies its own transport failures: a refused or reset socket, a stall, a connection that ends mid-command
/// leave it as a transient <see cref="MigrationException"/> with the adapter's diagnostic, never as a socket or timeout
/// exception for Core to recognise (Core knows no network type; it retries what the adapter marks transient).
/// </summary>
[Trait("Category", "Unit")]
public sealed class TransportFailureTests
{
    private const string Password = "transport-pw";

    private const string Login = """
        S: * OK ready
        C: CAPABILITY
        S: * CAPABILITY IMAP4rev1 AUTH=PLAIN
        S: {tag} OK CAPABILITY completed
        C: AUTHENTICATE PLAIN
        S: * CAPABILITY IMAP4rev1 NAMESPACE UIDPLUS CHILDREN UNSELECT
        S: {tag} OK AUTHENTICATE completed
        C: NAMESPACE
        S: * NAMESPACE (("" "/")) NIL NIL
        S: {tag} OK NAMESPACE completed
        C: LIST "" "INBOX"
        S: * LIST (\HasNoChildren) "/" "INBOX"
        S: {tag} OK LIST completed
        C: LIST "" "*"
        """;

    [Theory]
    [InlineData(SocketError.ConnectionRefused)]
    [InlineData(SocketError.ConnectionReset)]
    [InlineData(SocketError.TimedOut)]
    public async Task A_socket_that_fails_to_connect_is_a_transient_migration_exception(SocketError error)
    {
        var session = Session(_ => throw new SocketException((int)error));

        var failure = await Assert.ThrowsAsync<MigrationException>(() => session.ConnectAsync(CancellationToken.None));

        Assert.True(failure.Transient);
        Assert.Null(failure.RetryAfter);
        Assert.Equal(error == SocketError.TimedOut ? DiagnosticCatalog.ImapPhaseTimeout.Code : DiagnosticCatalog.ImapConnectionFailed.Code, failure.Diagnostic.Code);
    }

    public static TheoryData<Exception> MidCommandFailures() => new()
    {
        new SocketException((int)SocketError.ConnectionReset),
        new TimeoutException("the server did not answer"),
        new IOException("connection closed"),
    };

    [Theory]
    [MemberData(nameof(MidCommandFailures))]
    public async Task A_connection_that_fails_mid_command_is_reconnected_then_a_transient_connection_lost(Exception failure)
    {
        var connections = 0;
        var session = Session(_ =>
        {
            connections++;
            return Task.FromResult<Stream>(new ImapTranscript(Login) { FailWhenDone = failure });
        });
        await session.ConnectAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<MigrationException>(() =>
            session.ReadAsync("LIST", (client, ct) => ImapSession.ListFoldersAsync(client, MailKit.StatusItems.None, ct), CancellationToken.None));

        Assert.True(error.Transient);
        Assert.Equal(DiagnosticCatalog.ImapConnectionLost.Code, error.Diagnostic.Code);
        Assert.Equal(3, connections); // a read is tried on three connections before it is given up
    }

    private static ImapSession Session(Func<CancellationToken, Task<Stream>> connect)
    {
        Environment.SetEnvironmentVariable("TRANSPORT_FAILURE_PW", Password);
        var context = TestPlans.Context(
            TestPlans.Endpoint(EndpointRole.Source, 993, authUser: "anna@provider.test", authPassword: "env:TRANSPORT_FAILURE_PW"),
            "anna@provider.test", "anna@contoso.test");
        return new ImapSession(ImapSettings.From(context), new SpoolBudget(SpoolBudget.DefaultMaxInMemoryBytes, SpoolBudget.DefaultMaxInMemoryMessageBytes))
        {
            ConnectOverride = connect,
        };
    }
}

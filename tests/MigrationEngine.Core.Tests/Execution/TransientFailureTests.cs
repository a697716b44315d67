using System.Net.Sockets;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Execution;

/// <summary>
/// What Core retries: a <see cref="MigrationException"/> the adapter marked transient, and a bare <see cref="IOException"/> (a
/// content stream read outside the adapter that made it, a local file). Socket and timeout exceptions are the adapters' to
/// classify: Core names no network type, and the source scan below keeps it so.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TransientFailureTests
{
    private static readonly Diagnostic Any = Diagnose.UnexpectedFailure(SourceLocation.None("plan.yaml"), "X", "mailbox a@b.test", "boom");

    [Fact]
    public void The_adapters_word_decides_for_a_migration_exception()
    {
        Assert.True(RetryPolicy.IsTransient(new MigrationException(Any) { Transient = true }));
        Assert.False(RetryPolicy.IsTransient(new MigrationException(Any)));
        Assert.False(RetryPolicy.IsTransient(new MigrationException(Any, new IOException("wrapped"))));
    }

    [Fact]
    public void A_bare_io_exception_is_retried_and_network_types_are_not_cores_to_know()
    {
        Assert.True(RetryPolicy.IsTransient(new IOException("stream ended")));
        Assert.True(RetryPolicy.IsTransient(new FileNotFoundException("gone for a moment")));
        Assert.False(RetryPolicy.IsTransient(new SocketException((int)SocketError.ConnectionReset)));
        Assert.False(RetryPolicy.IsTransient(new TimeoutException()));
        Assert.False(RetryPolicy.IsTransient(new InvalidOperationException()));
    }

    [Fact]
    public void Core_names_no_socket_type()
    {
        var core = Path.Combine(RepoPaths.Root, "engine", "MigrationEngine.Core");
        var offenders = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("System.Net.Sockets", StringComparison.Ordinal) || File.ReadAllText(f).Contains("SocketException", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f))
            .ToList();

        Assert.True(offenders.Count == 0, "socket failures are classified by the adapters (MigrationException.Transient):\n" + string.Join("\n", offenders));
    }
}

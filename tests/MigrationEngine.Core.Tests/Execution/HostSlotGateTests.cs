using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Tests.Execution;

[Trait("Category", "Unit")]
public sealed class HostSlotGateTests
{
    private static EndpointDefinition Endpoint(string name, EndpointRole role, string host, int? cap) => new()
    {
        Name = name,
        Role = role,
        Type = EndpointType.Imap,
        Host = host,
        MaxConnections = cap,
        Location = new SourceLocation("plan.yaml", 1, 1),
        CanonicalSettings = "{}",
    };

    /// <summary>
    /// Six pairs, both sides on one server capped at 2: each pair needs both slots. Taking one and waiting for the other
    /// would let two pairs hold a slot each and wait for each other for ever; pairs take both or none, so all six finish,
    /// and never more than two slots are held.
    /// </summary>
    [Fact]
    public async Task Pairs_on_one_capped_server_take_both_slots_or_none_and_all_finish()
    {
        var gate = new HostSlotGate(null, Serilog.Core.Logger.None);
        var source = Endpoint("old", EndpointRole.Source, "mail.example", 2);
        var target = Endpoint("new", EndpointRole.Target, "MAIL.example", 2);
        var held = 0;
        var most = 0;
        async Task PairAsync()
        {
            for (var round = 0; round < 5; round++)
            {
                var (sourceSlot, targetSlot) = await gate.EnterPairAsync(source, target, CancellationToken.None);
                var now = Interlocked.Add(ref held, 2);
                InterlockedMax(ref most, now);
                await Task.Delay(5);
                Interlocked.Add(ref held, -2);
                await sourceSlot!.DisposeAsync();
                await targetSlot!.DisposeAsync();
            }
        }

        var all = Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(PairAsync)));
        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60))));
        await all;
        Assert.Equal(2, most);
    }

    /// <summary>Two capped servers, pairs of one direction and the other: crosswise holding cannot wait for ever either.</summary>
    [Fact]
    public async Task Pairs_across_two_capped_servers_in_both_directions_all_finish()
    {
        var gate = new HostSlotGate(null, Serilog.Core.Logger.None);
        var a = Endpoint("a", EndpointRole.Source, "a.example", 1);
        var b = Endpoint("b", EndpointRole.Target, "b.example", 1);
        async Task PairAsync(EndpointDefinition from, EndpointDefinition to)
        {
            for (var round = 0; round < 10; round++)
            {
                var (first, second) = await gate.EnterPairAsync(from, to, CancellationToken.None);
                await Task.Delay(2);
                await first!.DisposeAsync();
                await second!.DisposeAsync();
            }
        }

        var all = Task.WhenAll(Task.Run(() => PairAsync(a, b)), Task.Run(() => PairAsync(b, a)), Task.Run(() => PairAsync(a, b)), Task.Run(() => PairAsync(b, a)));
        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60))));
        await all;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

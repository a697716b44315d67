using System.Globalization;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>
/// The Graph target records its owning plan and state on the mailbox's root folder (a single-value extended property),
/// with the Maildir marker's rule: another state is refused (MIG0240) unless allowSharedTargets; a fresh state of the same
/// plan takes over once the owner's run is over.
/// </summary>
[Trait("Category", "Server")]
public sealed class GraphOwnerMarkerTests
{
    private const string Mailbox = "owner@contoso.example";
    private const string PropertyId = "String {6c1bd0b9-5c0e-4a8e-9d43-1f8e0b7a2d11} Name MigrationEngineOwner";

    private static readonly DateTimeOffset StateA = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset StateB = new(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);

    [Fact]
    public async Task TheFirstStateClaimsTheMailboxAndAnotherStateIsRefused()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        var first = Owner("graph-test", StateA, fresh: true, active: true);

        await (await OpenAsync(bed, first)).DisposeAsync();
        Assert.Equal(first.Serialize(), bed.Emulator.FolderProperty(Mailbox, "msgfolderroot", PropertyId));

        var error = await Assert.ThrowsAsync<MigrationException>(() => OpenAsync(bed, Owner("graph-test", StateB, fresh: true, active: true)));
        Assert.Equal("MIG0240", error.Diagnostic.Code);
        Assert.Contains("allowSharedTargets", error.Diagnostic.Hint, StringComparison.Ordinal);
        Assert.Equal(first.Serialize(), bed.Emulator.FolderProperty(Mailbox, "msgfolderroot", PropertyId));
    }

    [Fact]
    public async Task TheSameStateComesBackAndSharedTargetsAreAllowedWhenThePlanSaysSo()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await (await OpenAsync(bed, Owner("graph-test", StateA, fresh: true, active: true))).DisposeAsync();

        // A later run of the same state (another writer) rewrites the marker.
        var later = Owner("graph-test", StateA, fresh: false, active: true);
        await (await OpenAsync(bed, later)).DisposeAsync();
        Assert.Equal(later.Serialize(), bed.Emulator.FolderProperty(Mailbox, "msgfolderroot", PropertyId));

        // Another state, with allowSharedTargets: goes on and leaves the marker alone.
        await (await OpenAsync(bed, Owner("graph-test", StateB, fresh: true, active: true), allowShared: true)).DisposeAsync();
        Assert.Equal(later.Serialize(), bed.Emulator.FolderProperty(Mailbox, "msgfolderroot", PropertyId));
    }

    [Fact]
    public async Task AFreshStateOfTheSamePlanTakesOverOnceTheOwnersRunIsOver()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        bed.Emulator.SetFolderProperty(Mailbox, "msgfolderroot", PropertyId, Owner("graph-test", StateA, fresh: false, active: false).Serialize());

        // Another plan is refused even so; the same plan's fresh state takes over.
        await Assert.ThrowsAsync<MigrationException>(() => OpenAsync(bed, Owner("other-plan", StateB, fresh: true, active: true)));
        var fresh = Owner("graph-test", StateB, fresh: true, active: true);
        await (await OpenAsync(bed, fresh)).DisposeAsync();

        Assert.Equal(fresh.Serialize(), bed.Emulator.FolderProperty(Mailbox, "msgfolderroot", PropertyId));
    }

    [Fact]
    public async Task AMarkerThisEngineDidNotWriteIsReported()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        bed.Emulator.SetFolderProperty(Mailbox, "msgfolderroot", PropertyId, "something else");

        var error = await Assert.ThrowsAsync<MigrationException>(() => OpenAsync(bed, Owner("graph-test", StateA, fresh: true, active: true)));

        Assert.Equal("MIG0241", error.Diagnostic.Code);
    }

    private static async Task<IMailTarget> OpenAsync(GraphTestBed bed, TargetOwner owner, bool allowShared = false)
    {
        var context = bed.Context(bed.Endpoint(), Mailbox);
        context = context with { Plan = context.Plan with { AllowSharedTargets = allowShared }, TargetOwner = owner };
        return (IMailTarget)await bed.Factory.OpenAsync(context, default);
    }

    /// <summary>An owner whose writer is this process (active) or a process that cannot exist (its run is over).</summary>
    private static TargetOwner Owner(string plan, DateTimeOffset state, bool fresh, bool active)
    {
        var writer = active
            ? $"other-host/1/1/{Guid.NewGuid():N}"
            : string.Join('/', Environment.MachineName, int.MaxValue.ToString(CultureInfo.InvariantCulture), "1", Guid.NewGuid().ToString("N"));
        return new TargetOwner(plan, state, "/states/" + plan + ".db", fresh, writer);
    }
}

using MigrationEngine.Adapters.Files.Maildir;
using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>The owner marker of a Maildir target is created by exactly one of two runs that start together.</summary>
[Trait("Category", "Unit")]
public sealed class MaildirOwnerMarkerTests
{
    [Fact]
    public void Of_two_runs_creating_the_marker_at_the_same_moment_exactly_one_wins_and_its_marker_stays()
    {
        using var temp = new TempDirectory();
        var owners = new[]
        {
            new TargetOwner("plan", DateTimeOffset.UnixEpoch, "one.db", true, "host-a 1"),
            new TargetOwner("plan", DateTimeOffset.UnixEpoch, "two.db", true, "host-b 2"),
        };
        for (var round = 0; round < 300; round++)
        {
            var path = Path.Combine(temp.Combine(round.ToString(System.Globalization.CultureInfo.InvariantCulture)), MaildirOwnerMarker.FileName);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var start = new Barrier(2);
            var won = new bool[2];
            var racers = Enumerable.Range(0, 2).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                won[i] = MaildirOwnerMarker.Write(path, owners[i], replace: false);
            })).ToList();
            racers.ForEach(t => t.Start());
            racers.ForEach(t => t.Join());

            var winner = Assert.Single(Enumerable.Range(0, 2), i => won[i]);
            Assert.Equal(owners[winner].Location, TargetOwner.Parse(File.ReadAllText(path))?.Location);
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        }
    }
}

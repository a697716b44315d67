using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Tests.Execution;

[Trait("Category", "Unit")]
public sealed class PresenceSetTests
{
    private static readonly DateTimeOffset Monday = new(2024, 1, 1, 10, 0, 0, TimeSpan.Zero);

    private static SourceMessage Source(string key, long size, DateTimeOffset? date) => new() { SourceId = "1", DedupKey = key, Size = size, InternalDate = date };

    [Fact]
    public void A_message_with_the_key_of_a_target_message_but_another_date_is_not_taken_for_it()
    {
        var presence = new PresenceSet([new TargetMessage("id:a@x", 100, Monday)]);

        Assert.False(presence.TryTake(Source("id:a@x", 100, Monday.AddDays(3))));
        Assert.Equal(1, presence.Count);
        // The same second in another zone is the same date; a size the target counts otherwise does not matter.
        Assert.True(presence.TryTake(Source("id:a@x", 104, Monday.ToOffset(TimeSpan.FromHours(2)))));
        Assert.Equal(0, presence.Count);
    }

    [Fact]
    public void Two_messages_of_one_key_each_take_their_own_target_copy_by_size_then_date()
    {
        var presence = new PresenceSet([new TargetMessage("id:a@x", 100, Monday), new TargetMessage("id:a@x", 250, Monday)]);

        Assert.True(presence.TryTake(Source("id:a@x", 250, Monday)));
        Assert.True(presence.TryTake(Source("id:a@x", 100, Monday)));
        Assert.False(presence.TryTake(Source("id:a@x", 100, Monday)));
    }

    [Fact]
    public void Without_dates_on_either_side_the_key_decides_and_the_ledger_removes_the_copy_of_its_size()
    {
        var presence = new PresenceSet([new TargetMessage("id:a@x", 100, Monday), new TargetMessage("id:a@x", 250, Monday.AddDays(1)), new TargetMessage("id:b@x")]);

        presence.Remove("id:a@x", 250);

        Assert.False(presence.TryTake(Source("id:a@x", 250, Monday.AddDays(1))));
        Assert.True(presence.TryTake(Source("id:b@x", 9, Monday)));
        Assert.True(presence.TryTake(Source("id:a@x", 999, null)));
        Assert.Equal(0, presence.Count);
    }
}

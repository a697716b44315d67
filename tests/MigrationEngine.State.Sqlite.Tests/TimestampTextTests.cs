using System.Globalization;

namespace MigrationEngine.State.Sqlite.Tests;

/// <summary>
/// Times are stored as text and compared as text (leases' expiry, the order of records), so the text must never change:
/// the round-trip format the store writes with gives exactly the custom format of earlier versions.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TimestampTextTests
{
    public static TheoryData<DateTimeOffset> Times() => new()
    {
        DateTimeOffset.MinValue,
        DateTimeOffset.MaxValue,
        new DateTimeOffset(2026, 12, 6, 23, 40, 1, TimeSpan.Zero),
        new DateTimeOffset(2026, 12, 7, 1, 2, 3, TimeSpan.FromHours(5.5)).AddTicks(1234567),
        new DateTimeOffset(999, 1, 2, 3, 4, 5, TimeSpan.FromHours(-8)).AddTicks(7),
        DateTimeOffset.UnixEpoch.AddTicks(-1),
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void A_time_is_written_as_the_custom_format_wrote_it(DateTimeOffset time) =>
        Assert.Equal(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture), SqliteStateStore.FormatTime(time));
}

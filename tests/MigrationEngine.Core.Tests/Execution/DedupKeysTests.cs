using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Tests.Execution;

[Trait("Category", "Unit")]
public sealed class DedupKeysTests
{
    [Theory]
    [InlineData("<a@x>")]
    [InlineData("  <a@x>\r\n ")]
    [InlineData("<<twice@x>>")]
    [InlineData("<folded\r\n\t@x>")]
    [InlineData("no-brackets@x")]
    public void The_key_of_a_normalized_message_id_is_the_key_compute_gives_whatever_the_other_fields(string messageId)
    {
        var normalized = DedupKeys.NormalizeMessageId(messageId);

        Assert.NotNull(normalized);
        Assert.Equal(DedupKeys.Compute(messageId, "Mon, 3 Mar 2025 10:00:00 +0100", "A <a@x>", "s"), DedupKeys.OfMessageId(normalized));
        Assert.Equal(DedupKeys.Compute(messageId, null, null, null), DedupKeys.OfMessageId(normalized));
    }
}

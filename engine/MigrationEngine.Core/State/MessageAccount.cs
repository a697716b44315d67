using System.Globalization;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.State;

/// <summary>
/// The figures every output gives about messages, and the one sentence they are said in: the apply summary on the console,
/// <c>status</c>, <c>summary.md</c> and <c>report.html</c> all build their counts here, so they cannot disagree. Left out
/// counts the messages the plan's rules leave out: filters (dates, size, \Deleted) and folder rules (folders.include and
/// folders.exclude), each recorded with the rule that named it.
/// </summary>
public sealed record MessageAccount(long Copied, long Bytes, long AlreadyPresent, long LeftOut, long BadItems, long Warnings, long PlacedElsewhere = 0)
{
    public static readonly MessageAccount None = new(0, 0, 0, 0, 0, 0);

    /// <summary>What one run did (its counters), not what the state holds.</summary>
    public static MessageAccount OfRun(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(summary.Copied, summary.BytesCopied, summary.AlreadyPresent, summary.Filtered, summary.BadItems, summary.Warnings, summary.PlacedElsewhere);
    }

    /// <summary>What an earlier run did, from the summary it recorded; nothing for a run without one.</summary>
    public static MessageAccount OfRecordedRun(RunSummaryJson? recorded) => recorded is null
        ? None
        : new(recorded.Copied, recorded.Bytes, recorded.Present, recorded.Filtered, recorded.BadItems, recorded.Warnings);

    /// <summary>What the state holds for one mailbox (ledger and item events, each message once).</summary>
    public static MessageAccount Of(MailboxTotals? totals) => totals is null
        ? None
        : new(totals.Copied, totals.BytesCopied, totals.AlreadyPresent, totals.Filtered, totals.BadItems, totals.Warnings, totals.PlacedElsewhere);

    public MessageAccount Add(MessageAccount other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Copied + other.Copied, Bytes + other.Bytes, AlreadyPresent + other.AlreadyPresent, LeftOut + other.LeftOut, BadItems + other.BadItems,
            Warnings + other.Warnings, PlacedElsewhere + other.PlacedElsewhere);
    }

    /// <summary>"307 copied (263.1 KB), 0 already present, 12 left out by rules, 0 bad items, 2 warnings".</summary>
    public string Sentence => string.Create(CultureInfo.InvariantCulture, $"{Copied:N0} copied ({Executor.FormatSize(Bytes)}), {Details}");

    /// <summary>Everything but the copies: "0 already present, 12 left out by rules, 0 bad items, 2 warnings" (placed elsewhere only when some are).</summary>
    public string Details => string.Create(CultureInfo.InvariantCulture,
        $"{AlreadyPresent:N0} already present, {LeftOut:N0} left out by rules, {BadItems:N0} bad items, {Warnings:N0} warnings")
        + (PlacedElsewhere > 0 ? string.Create(CultureInfo.InvariantCulture, $", {PlacedElsewhere:N0} placed elsewhere (one copy of a message with several labels)") : string.Empty);
}

using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Compilation;

/// <summary>
/// The steps of a mailbox's contacts and calendars: one per item kind the migration names besides mail, after the mail
/// steps (or alone when <c>items:</c> has no mail). Ids: <c>copy-contacts/&lt;migration&gt;/&lt;mailbox&gt;</c>,
/// <c>copy-calendar/...</c>.
/// </summary>
public static class PimSteps
{
    /// <summary>The step kind that copies <paramref name="kind"/>; null for mail (its own five steps).</summary>
    public static StepKind? KindOf(ItemKind kind) => kind switch
    {
        ItemKind.Contacts => StepKind.CopyContacts,
        ItemKind.Calendar => StepKind.CopyCalendar,
        _ => null,
    };

    public static ItemKind? ItemKindOf(StepKind kind) => kind switch
    {
        StepKind.CopyContacts => ItemKind.Contacts,
        StepKind.CopyCalendar => ItemKind.Calendar,
        _ => null,
    };

    public static string Id(ItemKind kind, string migration, string mailboxKey) => $"{Step.KindName(KindOf(kind)!.Value)}/{migration}/{mailboxKey}";

    /// <summary>Adds the mailbox's item steps in the order of <c>items:</c>, each after the previous; returns the last one's id (none when mail only).</summary>
    internal static List<string> Add(MigrationDefinition migration, MailboxEntry mailbox, string key, string inputHash, List<string> after, List<Step> steps)
    {
        var previous = after;
        foreach (var kind in migration.Items)
        {
            if (KindOf(kind) is not { } stepKind)
            {
                continue;
            }

            var step = new Step
            {
                Id = Id(kind, migration.Name, key),
                Kind = stepKind,
                Migration = migration.Name,
                Mailbox = key,
                InputHash = inputHash,
                DependsOn = previous,
                Description = $"copy {ItemCapabilities.Name(kind)} {mailbox.SourceAddress} -> {mailbox.TargetAddress}",
            };
            steps.Add(step);
            previous = [step.Id];
        }

        return previous == after ? [] : previous;
    }
}

using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.State;

namespace MigrationEngine.Reports;

/// <summary>
/// Contacts and calendars in the report model: per mailbox and in total, per item kind, what the last pass of the item steps
/// did (created, already present, updated, bad items) and which items were not copied and why. Only plans whose migrations
/// name contacts or calendar in <c>items:</c> get these fields, so mail-only reports stay as they were.
/// </summary>
public sealed partial class ReportModel
{
    private static void AddItems(OrderedDictionary<string, object?> mailboxRow, ItemAccount account, List<ItemEvent> mailboxEvents, ErrorGroups errors, string mailbox)
    {
        var bad = LatestPerMessage(mailboxEvents.Where(e => e.Kind == PimLedger.BadItemEvent)).Select(e => e with { Folder = PimLedger.Display(e.Folder) }).ToList();
        foreach (var item in bad)
        {
            errors.Add("bad-item", item.Reason, mailbox);
        }

        mailboxRow["items"] = ItemsObject(account);
        mailboxRow["item_bad_details"] = Details(bad);
    }

    /// <summary>Per kind: kind, created, already_present, updated, bad_items, in_target.</summary>
    private static List<object?> ItemsObject(ItemAccount account) => account.Kinds.Select(k => (object?)Obj(
        ("kind", ItemCapabilities.Name(k.Kind)),
        ("created", k.Account.Created),
        ("already_present", k.Account.AlreadyPresent),
        ("updated", k.Account.Updated),
        ("bad_items", k.Account.BadItems),
        ("in_target", k.Account.InTarget))).ToList();

    private static bool MovesItems(Core.Model.MigrationDefinition migration) => migration.Items.Any(kind => PimSteps.KindOf(kind) is not null);
}

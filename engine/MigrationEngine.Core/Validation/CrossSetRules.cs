using MigrationEngine.Core.Binding;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// Rules over the mailboxes of all sets and migrations together: addresses where an Exchange source or a graph target needs
/// them, one target mailbox fed by one source per item kind, a mailbox in one set per migration, cutover's mailbox counts,
/// Microsoft's per-migration mailbox rules, and a migration left with no mailboxes. Every check is linear (dictionaries
/// keyed by address), so 10,000 mailboxes cost milliseconds.
/// </summary>
internal static class CrossSetRules
{
    private const int MaxCutoverMailboxes = 2_000;
    private const int RecommendedCutoverMailboxes = 150;

    public static void Check(BoundPlan plan, DiagnosticBag diagnostics)
    {
        var feeds = new Dictionary<string, (string Source, MailboxEntry Entry, string Migration)>(StringComparer.OrdinalIgnoreCase);
        var reportedFeeds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var migration in plan.Migrations)
        {
            var definition = migration.Definition;
            var inThisMigration = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var counted = new List<MailboxEntry>();
            var targetNeedsAddress = plan.Targets.TryGetValue(definition.To, out var target) && target.Definition.Type == EndpointType.Graph;
            var sourceNeedsAddress = plan.Sources.TryGetValue(definition.From, out var source) && source.Definition.Type == EndpointType.Exchange;
            foreach (var setName in definition.MailboxSets.Distinct(StringComparer.Ordinal))
            {
                foreach (var entry in plan.Sets[setName].Entries)
                {
                    if (targetNeedsAddress && !ValueParsers.IsValidEmail(entry.TargetAddress))
                    {
                        diagnostics.Add(Diagnose.InvalidEmail(entry.Location, entry.TargetAddress,
                            hint: $"a graph target needs e-mail addresses (migration '{definition.Name}')"));
                    }

                    if (sourceNeedsAddress && !ValueParsers.IsValidEmail(entry.SourceAddress))
                    {
                        diagnostics.Add(Diagnose.InvalidEmail(entry.Location, entry.SourceAddress,
                            hint: $"an Exchange source needs e-mail addresses (migration '{definition.Name}')"));
                    }

                    CheckFeeds(definition, setName, entry, feeds, reportedFeeds, diagnostics);
                    if (inThisMigration.TryGetValue(entry.TargetAddress, out var otherSet))
                    {
                        if (otherSet != setName)
                        {
                            diagnostics.Add(Diagnose.MailboxInTwoSets(entry.Location, entry.TargetAddress, otherSet, setName, definition.Name));
                        }

                        continue;
                    }

                    inThisMigration[entry.TargetAddress] = setName;
                    counted.Add(entry);
                }
            }

            var typeNode = migration.Node.GetScalar("type");
            var where = plan.Loc(typeNode ?? (Loading.YamlTreeNode)migration.Node);
            if (definition.Type == MigrationType.Cutover && counted.Count > MaxCutoverMailboxes)
            {
                diagnostics.Add(Diagnose.CutoverTooManyMailboxes(where, definition.Name, counted.Count));
            }
            else if (definition.Type == MigrationType.Cutover && counted.Count > RecommendedCutoverMailboxes)
            {
                diagnostics.Add(Diagnose.CutoverManyMailboxes(where, definition.Name, counted.Count));
            }

            ExchangeOnlineRules.CheckMailboxes(definition, counted, where, diagnostics);
            // With errors elsewhere, an empty migration is most likely their consequence (rows left out): not said again.
            if (counted.Count == 0 && definition.MailboxSets.Count > 0 && !diagnostics.HasErrors)
            {
                diagnostics.Add(Diagnose.NoMailboxes(where, definition.Name));
            }
        }
    }

    /// <summary>Per item kind: the mail of a mailbox from one source and its contacts from an export is two feeds, not a merge.</summary>
    private static void CheckFeeds(MigrationDefinition definition, string setName, MailboxEntry entry,
        Dictionary<string, (string Source, MailboxEntry Entry, string Migration)> feeds, HashSet<string> reportedFeeds, DiagnosticBag diagnostics)
    {
        var feedSource = $"{definition.From}:{entry.SourceAddress}";
        foreach (var kind in definition.Items)
        {
            var feedKey = definition.To + "\n" + entry.TargetAddress + "\n" + kind;
            if (!feeds.TryGetValue(feedKey, out var existing))
            {
                feeds[feedKey] = (feedSource, entry, definition.Name);
            }
            else if (!string.Equals(existing.Source, feedSource, StringComparison.OrdinalIgnoreCase) && reportedFeeds.Add(definition.To + "\n" + entry.TargetAddress))
            {
                var hint = existing.Entry.Location == entry.Location
                    ? $"mailbox set '{setName}' is used by migrations '{existing.Migration}' and '{definition.Name}' with different sources"
                    : $"first fed at {existing.Entry.Location}";
                diagnostics.Add(Diagnose.TargetFromTwoSources(entry.Location, entry.TargetAddress, existing.Source, feedSource, hint: hint));
            }
        }
    }
}

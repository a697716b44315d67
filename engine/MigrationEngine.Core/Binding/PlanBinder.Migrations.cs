using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Binding;

/// <summary>
/// Migrations: type and engine as enums, endpoints resolved by name (an unknown name stays null: the reference rules
/// report it), the sets they use (known and distinct), filters, schedule and the <c>exchange:</c> block.
/// </summary>
public sealed partial class PlanBinder
{
    private void BindMigrations(YamlTreeSequence? list)
    {
        foreach (var item in list?.Items ?? [])
        {
            if (item.Value is not YamlTreeMapping node)
            {
                continue;
            }

            var nameNode = node.GetScalar("name");
            var name = nameNode?.Value ?? "";
            var type = PlanVocabulary.MigrationTypes.Parse(node.GetString("type")) ?? MigrationType.Unknown;
            var from = node.GetScalar("from");
            var to = node.GetScalar("to");
            var source = from is not null && _plan.Sources.TryGetValue(from.Value, out var boundSource) ? boundSource.Definition : null;
            var target = to is not null && _plan.Targets.TryGetValue(to.Value, out var boundTarget) ? boundTarget.Definition : null;

            var setNames = new List<string>();
            foreach (var setItem in node.GetSequence("mailboxSets")?.Items ?? [])
            {
                if (setItem.Value is not YamlTreeScalar setName || setNames.Contains(setName.Value, StringComparer.Ordinal)
                    || !_plan.Sets.TryGetValue(setName.Value, out var set))
                {
                    continue;
                }

                setNames.Add(setName.Value);
                if (CsvColumnsByMigration.ContainsKey(type))
                {
                    set.UsedByTypes.Add(type);
                }

                // The 50,000-row limit is Microsoft's (IMAP migration batches into Exchange Online), not IMAP to IMAP.
                set.UsedByMicrosoftImap |= type == MigrationType.Imap && ExchangeOnline.IsTarget(target);
            }

            var dependsOn = new List<(string Name, YamlTreeScalar Node)>();
            foreach (var dependency in node.GetSequence("dependsOn")?.Items ?? [])
            {
                if (dependency.Value is YamlTreeScalar dependencyName && !dependsOn.Exists(d => d.Name == dependencyName.Value))
                {
                    dependsOn.Add((dependencyName.Value, dependencyName));
                }
            }

            var folders = node.GetMapping("folders");
            var concurrency = node.GetMapping("concurrency");
            var gmail = node.GetMapping("gmail");
            var definition = new MigrationDefinition
            {
                Name = name,
                Type = type,
                From = from?.Value ?? "",
                To = to?.Value ?? "",
                MailboxSets = setNames,
                DependsOn = dependsOn.Select(d => d.Name).ToList(),
                Items = BindItems(node),
                Folders = new FolderRules
                {
                    Include = Strings(folders?.GetSequence("include")),
                    Exclude = Strings(folders?.GetSequence("exclude")),
                    Map = folders?.GetMapping("map")?.Entries
                        .Where(e => e.Value is YamlTreeScalar)
                        .ToDictionary(e => e.Key.Value, e => ((YamlTreeScalar)e.Value).Value, StringComparer.Ordinal)
                        ?? new Dictionary<string, string>(),
                },
                Filters = BindFilters(node.GetMapping("filters")),
                Concurrency = new ConcurrencyLimits
                {
                    Mailboxes = Int(concurrency, "mailboxes") ?? 4,
                    ConnectionsPerMailbox = Int(concurrency, "connectionsPerMailbox") ?? 2,
                },
                Passes = Int(node, "passes") ?? 1,
                Engine = PlanVocabulary.CopyEngines.Parse(node.GetString("engine")) ?? CopyEngine.Engine,
                LabelCopies = PlanVocabulary.LabelCopyModes.Parse(node.GetString("labelCopies")) ?? LabelCopyMode.Each,
                Gmail = new GmailSettings
                {
                    LabelPriority = Strings(gmail?.GetSequence("labelPriority")),
                    Important = PlanVocabulary.ImportantPlacements.Parse(gmail?.GetString("important")) ?? ImportantPlacement.None,
                },
                SyncFlags = Bool(node, "syncFlags") ?? false,
                BadItemLimit = Int(node, "badItemLimit"),
                Complete = Bool(node, "complete") ?? false,
                StartAfter = OptionalDate(node.GetScalar("startAfter"), "startAfter"),
                CompleteAfter = OptionalDate(node.GetScalar("completeAfter"), "completeAfter"),
                NotificationEmails = Strings(node.GetSequence("notificationEmails")),
                TargetDeliveryDomain = node.GetString("targetDeliveryDomain"),
                Exchange = BindExchangeMigration(node),
                Location = Loc(nameNode ?? (YamlTreeNode)node),
                CanonicalSettings = CanonicalJson.Write(node),
            };
            _plan.Migrations.Add(new BoundMigration(definition, node, source, target, dependsOn));
        }
    }

    /// <summary><c>items:</c>; default mail only, so plans written before it keep their meaning. The schema refuses unknown words and repeats.</summary>
    private static IReadOnlyList<ItemKind> BindItems(YamlTreeMapping migration)
    {
        if (migration.GetSequence("items") is not { } sequence)
        {
            return [ItemKind.Mail];
        }

        var kinds = new List<ItemKind>();
        foreach (var item in sequence.Items)
        {
            if (item.Value is YamlTreeScalar scalar && PlanVocabulary.ItemKinds.Parse(scalar.Value) is { } kind && !kinds.Contains(kind))
            {
                kinds.Add(kind);
            }
        }

        return kinds.Count == 0 ? [ItemKind.Mail] : kinds;
    }

    private MessageFilters BindFilters(YamlTreeMapping? filters)
    {
        if (filters is null)
        {
            return new MessageFilters();
        }

        DateTimeOffset? since = null;
        if (filters.GetScalar("since") is { IsNull: false } sinceNode)
        {
            since = SinceDuration(sinceNode) ?? Date(sinceNode, "filters.since");
        }

        return new MessageFilters
        {
            Since = since,
            Before = OptionalDate(filters.GetScalar("before"), "filters.before"),
            MaxMessageSize = filters.GetScalar("maxMessageSize") is { IsNull: false } sizeNode ? CheckedSize(sizeNode) : null,
            IncludeDeleted = Bool(filters, "includeDeleted") ?? false,
        };
    }

    private DateTimeOffset? OptionalDate(YamlTreeScalar? node, string what) => node is { IsNull: false } ? Date(node, what) : null;

    /// <summary>A migration's <c>exchange:</c> block (Exchange Online's migration service); <c>filters.since</c> as a duration, which batches take as an age.</summary>
    private ExchangeMigrationSettings BindExchangeMigration(YamlTreeMapping node)
    {
        var exchange = node.GetMapping("exchange");
        var since = node.GetMapping("filters")?.GetString("since");
        TimeSpan? sinceAgo = since is not null && ValueParsers.TryParseDuration(since, out var ago) ? ago : null;
        if (exchange is null)
        {
            return new ExchangeMigrationSettings { SinceAgo = sinceAgo };
        }

        var approvals = new List<SkippedItemApproval>();
        foreach (var item in exchange.GetSequence("skippedItemApprovals")?.Items ?? [])
        {
            if (item.Value is YamlTreeMapping approval && approval.GetString("mailbox") is { } mailbox && Int(approval, "maxSkippedItems") is { } max
                && approval.GetString("approvedBy") is { } by)
            {
                approvals.Add(new SkippedItemApproval(mailbox.Trim(), max, by, approval.GetString("reason"), Loc(approval)));
            }
        }

        return new ExchangeMigrationSettings
        {
            MailboxType = PlanVocabulary.MailboxScopes.Parse(exchange.GetString("mailboxType")),
            SkippedItemApprovals = approvals,
            WhenRemoved = PlanVocabulary.RemovedBatchActions.Parse(exchange.GetString("whenRemoved")),
            RemoveWhenCompleted = Bool(exchange, "removeWhenCompleted") ?? false,
            MaxWait = Int(exchange, "maxWaitMinutes") is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
            SinceAgo = sinceAgo,
        };
    }
}

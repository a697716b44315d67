using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Compilation;

/// <summary>Compile stage: a validated plan becomes a DAG of typed steps. Pure: no I/O.</summary>
public static class PlanCompiler
{
    /// <summary>Microsoft's limit of rows in one staged-migration CSV; larger sets become several batches.</summary>
    public const int StagedBatchLimit = 2000;

    public static ExecutionGraph Compile(PlanModel plan)
    {
        var steps = new List<Step>();
        var doneNodes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var migration in OrderByDependencies(plan.Migrations))
        {
            var entryDependencies = migration.DependsOn
                .Where(doneNodes.ContainsKey)
                .Select(d => doneNodes[d])
                .ToList();
            var terminal = IsExchangeNative(plan, migration)
                ? CompileExchangeNative(plan, migration, entryDependencies, steps)
                : CompileEngineDriven(plan, migration, entryDependencies, steps);
            var doneId = $"migration/{migration.Name}";
            steps.Add(new Step
            {
                Id = doneId,
                Kind = StepKind.MigrationDone,
                Migration = migration.Name,
                InputHash = InputHash.Of(migration.Name),
                DependsOn = terminal,
                Description = $"migration {migration.Name} complete",
            });
            doneNodes[migration.Name] = doneId;
        }

        return new ExecutionGraph(plan.Name, steps);
    }

    /// <summary>cutover, staged, hybrid and gworkspace, and imap with <c>engine: exchange</c>, run inside Exchange Online's migration service.</summary>
    public static bool IsExchangeNative(PlanModel plan, MigrationDefinition migration) =>
        migration.Type is MigrationType.Cutover or MigrationType.Staged or MigrationType.Hybrid or MigrationType.Gworkspace
        || (migration.Type == MigrationType.Imap && migration.Engine == CopyEngine.Exchange)
        || (migration.Type == MigrationType.Pst && plan.Sources.TryGetValue(migration.From, out var source) && source.Engine == PstEngine.ImportService);

    /// <summary>Mailboxes of a migration in plan order, each once (validation reports duplicates).</summary>
    public static IReadOnlyList<MailboxEntry> MailboxesOf(PlanModel plan, MigrationDefinition migration)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<MailboxEntry>();
        foreach (var setName in migration.MailboxSets)
        {
            if (!plan.MailboxSets.TryGetValue(setName, out var set))
            {
                continue;
            }

            foreach (var mailbox in set.Mailboxes)
            {
                if (seen.Add(mailbox.TargetAddress))
                {
                    result.Add(mailbox);
                }
            }
        }

        return result;
    }

    public static string MailboxKey(MailboxEntry mailbox) => MailboxKey(mailbox.TargetAddress);

    /// <summary>The mail steps' kinds, in order (only when the migration's <c>items:</c> names mail).</summary>
    public static readonly IReadOnlyList<string> MailStepKinds = ["preflight-source", "preflight-target", "ensure-folders", "copy", "verify"];

    /// <summary>Ids of an engine-driven mailbox's steps in order: the mail steps, then one per other item kind.</summary>
    public static IReadOnlyList<string> MailboxStepIds(MigrationDefinition migration, string key)
    {
        var ids = new List<string>();
        if (migration.MovesMail)
        {
            ids.AddRange(MailStepKinds.Select(kind => $"{kind}/{migration.Name}/{key}"));
        }

        ids.AddRange(migration.Items.Where(kind => PimSteps.KindOf(kind) is not null).Select(kind => PimSteps.Id(kind, migration.Name, key)));
        return ids;
    }

    /// <summary>The key of a mailbox in state, from its target address.</summary>
    public static string MailboxKey(string targetAddress) => targetAddress.Trim().ToLowerInvariant();

    private static List<string> CompileEngineDriven(PlanModel plan, MigrationDefinition migration, List<string> entryDependencies, List<Step> steps)
    {
        var source = plan.Sources.GetValueOrDefault(migration.From);
        var target = plan.Targets.GetValueOrDefault(migration.To);
        var sourceSettings = source?.CanonicalSettings;
        var targetSettings = target?.CanonicalSettings;
        var terminal = new List<string>();
        foreach (var mailbox in MailboxesOf(plan, migration))
        {
            var key = MailboxKey(mailbox);
            var mailboxInputs = MailboxIdentity(mailbox);
            var copyInputs = InputHash.Of(sourceSettings, targetSettings, mailboxInputs, migration.CanonicalSettings);
            var prefix = $"/{migration.Name}/{key}";
            var preflightSource = new Step
            {
                Id = "preflight-source" + prefix,
                Kind = StepKind.PreflightSource,
                Migration = migration.Name,
                Mailbox = key,
                InputHash = InputHash.Of(sourceSettings, mailboxInputs),
                DependsOn = entryDependencies,
                Description = $"connect to {migration.From} as {mailbox.SourceAddress} and list folders",
            };
            var preflightTarget = new Step
            {
                Id = "preflight-target" + prefix,
                Kind = StepKind.PreflightTarget,
                Migration = migration.Name,
                Mailbox = key,
                InputHash = InputHash.Of(targetSettings, mailbox.TargetAddress.ToLowerInvariant()),
                DependsOn = entryDependencies,
                Description = $"check target mailbox {mailbox.TargetAddress} on {migration.To}",
            };
            var ensureFolders = new Step
            {
                Id = "ensure-folders" + prefix,
                Kind = StepKind.EnsureFolders,
                Migration = migration.Name,
                Mailbox = key,
                InputHash = copyInputs,
                DependsOn = [preflightSource.Id, preflightTarget.Id],
                Description = $"create missing folders in {mailbox.TargetAddress}",
            };
            var copy = new Step
            {
                Id = "copy" + prefix,
                Kind = StepKind.CopyFolders,
                Migration = migration.Name,
                Mailbox = key,
                InputHash = copyInputs,
                DependsOn = [ensureFolders.Id],
                Description = $"copy messages {mailbox.SourceAddress} -> {mailbox.TargetAddress}",
            };
            var verify = new Step
            {
                Id = "verify" + prefix,
                Kind = StepKind.Verify,
                Migration = migration.Name,
                Mailbox = key,
                InputHash = copyInputs,
                DependsOn = [copy.Id],
                Description = $"compare counts and Message-IDs of {mailbox.SourceAddress} and {mailbox.TargetAddress}",
            };
            List<string> after = entryDependencies;
            if (migration.MovesMail)
            {
                steps.AddRange([preflightSource, preflightTarget, ensureFolders, copy, verify]);
                after = [verify.Id];
            }

            var last = PimSteps.Add(migration, mailbox, key, copyInputs, after, steps);
            terminal.AddRange(last.Count > 0 ? last : after);
        }

        return terminal;
    }

    private static List<string> CompileExchangeNative(PlanModel plan, MigrationDefinition migration, List<string> entryDependencies, List<Step> steps)
    {
        var source = plan.Sources.GetValueOrDefault(migration.From);
        var target = plan.Targets.GetValueOrDefault(migration.To);
        var endpoint = new Step
        {
            Id = $"ensure-endpoint/{migration.Name}",
            Kind = StepKind.EnsureEndpoint,
            Migration = migration.Name,
            InputHash = InputHash.Of(source?.CanonicalSettings, target?.CanonicalSettings, migration.Type.Yaml(), migration.Concurrency.Mailboxes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            DependsOn = entryDependencies,
            Description = $"ensure migration endpoint for {migration.From} ({migration.Type.Yaml()})",
        };
        steps.Add(endpoint);
        var mailboxes = MailboxesOf(plan, migration);
        var batchSize = migration.Type == MigrationType.Staged ? StagedBatchLimit : Math.Max(1, mailboxes.Count);
        var batchCount = migration.Type == MigrationType.Cutover ? 1 : Math.Max(1, (mailboxes.Count + batchSize - 1) / batchSize);
        var terminal = new List<string>();
        for (var index = 0; index < batchCount; index++)
        {
            var members = mailboxes.Skip(index * batchSize).Take(batchSize).Select(MailboxIdentity);
            var suffix = batchCount == 1 ? string.Empty : $"/{index + 1}";
            var batchInputs = InputHash.Of([migration.CanonicalSettings, endpoint.InputHash, .. members]);
            var batch = new Step
            {
                Id = $"ensure-batch/{migration.Name}{suffix}",
                Kind = StepKind.EnsureBatch,
                Migration = migration.Name,
                InputHash = batchInputs,
                DependsOn = [endpoint.Id],
                Description = $"ensure migration batch {migration.Name}{suffix} with {Math.Min(batchSize, mailboxes.Count - (index * batchSize))} mailboxes",
            };
            var start = new Step
            {
                Id = $"start-batch/{migration.Name}{suffix}",
                Kind = StepKind.StartBatch,
                Migration = migration.Name,
                InputHash = batchInputs,
                DependsOn = [batch.Id],
                Description = $"start batch {migration.Name}{suffix} and wait for its initial sync",
            };
            var complete = new Step
            {
                Id = $"complete-batch/{migration.Name}{suffix}",
                Kind = StepKind.CompleteBatch,
                Migration = migration.Name,
                InputHash = InputHash.Of(batchInputs, migration.Complete ? "complete" : "no-complete", migration.CompleteAfter?.ToString("O")),
                DependsOn = [start.Id],
                Description = migration.Complete || migration.CompleteAfter is not null
                    ? $"complete batch {migration.Name}{suffix}"
                    : $"leave batch {migration.Name}{suffix} synced, not completed (complete: false)",
            };
            steps.AddRange([batch, start, complete]);
            terminal.Add(complete.Id);
        }

        return terminal;
    }

    private static string MailboxIdentity(MailboxEntry mailbox) => string.Join(
        '\u001f',
        mailbox.SourceAddress.ToLowerInvariant(),
        mailbox.TargetAddress.ToLowerInvariant(),
        mailbox.Username ?? string.Empty,
        mailbox.Password?.HashIdentity ?? string.Empty,
        mailbox.UserRoot ?? string.Empty,
        mailbox.ForceChangePassword?.ToString() ?? string.Empty);

    /// <summary>Plan order, with each migration after the ones it depends on (cycles are reported by validation; here they are cut).</summary>
    public static IReadOnlyList<MigrationDefinition> OrderByDependencies(IReadOnlyList<MigrationDefinition> migrations)
    {
        var byName = migrations.GroupBy(m => m.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<MigrationDefinition>();

        void Visit(MigrationDefinition migration)
        {
            if (visited.Contains(migration.Name) || !visiting.Add(migration.Name))
            {
                return;
            }

            foreach (var dependency in migration.DependsOn)
            {
                if (byName.TryGetValue(dependency, out var other))
                {
                    Visit(other);
                }
            }

            visiting.Remove(migration.Name);
            if (visited.Add(migration.Name))
            {
                ordered.Add(migration);
            }
        }

        foreach (var migration in byName.Values)
        {
            Visit(migration);
        }

        return ordered;
    }
}

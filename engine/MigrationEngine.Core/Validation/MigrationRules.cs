using System.Globalization;
using System.Text.RegularExpressions;
using MigrationEngine.Core.Binding;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// Rules of one migration: which source and target types its type takes, the Exchange versions each Microsoft migration
/// supports, filters and schedule that contradict themselves, folder patterns that do not compile, notification addresses;
/// then the rules with homes of their own (Gmail, Exchange Online, item kinds).
/// </summary>
internal static class MigrationRules
{
    private const long DefaultExchangeOnlineMessageLimit = 35L * 1024 * 1024;
    private const long MaxExchangeOnlineMessageLimit = 150L * 1024 * 1024;

    private static readonly Dictionary<MigrationType, EndpointType[]> SourceTypesByMigration = new()
    {
        [MigrationType.Imap] = [EndpointType.Imap],
        [MigrationType.Cutover] = [EndpointType.Exchange],
        [MigrationType.Staged] = [EndpointType.Exchange],
        [MigrationType.Hybrid] = [EndpointType.Exchange],
        [MigrationType.Gworkspace] = [EndpointType.Gworkspace],
        [MigrationType.Pst] = [EndpointType.Pst],
        [MigrationType.Import] = [EndpointType.Mbox, EndpointType.Maildir, EndpointType.Eml, EndpointType.Pst, EndpointType.IcsVcf, EndpointType.Dav],
    };

    private static readonly Dictionary<MigrationType, EndpointType[]> TargetTypesByMigration = new()
    {
        [MigrationType.Imap] = [EndpointType.Graph, EndpointType.Imap, EndpointType.Maildir],
        [MigrationType.Cutover] = [EndpointType.Graph],
        [MigrationType.Staged] = [EndpointType.Graph],
        [MigrationType.Hybrid] = [EndpointType.Graph],
        [MigrationType.Gworkspace] = [EndpointType.Graph],
        [MigrationType.Pst] = [EndpointType.Graph, EndpointType.Imap, EndpointType.Maildir, EndpointType.IcsVcf],
        [MigrationType.Import] = [EndpointType.Graph, EndpointType.Imap, EndpointType.Maildir, EndpointType.IcsVcf, EndpointType.Dav],
    };

    public static void Check(BoundPlan plan, DiagnosticBag diagnostics)
    {
        foreach (var migration in plan.Migrations)
        {
            var (definition, node, source, target, _) = migration;
            CheckTypes(plan, migration, diagnostics);
            GmailPlanChecks.Check(diagnostics, plan.File, node, definition.Name, source);
            CheckFilters(plan, migration, diagnostics);
            CheckSchedule(plan, migration, diagnostics);
            CheckFolderPatterns(plan, node.GetMapping("folders"), diagnostics);
            foreach (var email in node.GetSequence("notificationEmails")?.Items ?? [])
            {
                // Microsoft's service mails reports there: a login name will not do, unlike a mailbox set's source.
                if (email.Value is YamlTreeScalar { IsNull: false } address && address.Value.Trim() is { Length: > 0 } text
                    && YamlScalars.TypeOf(address) == YamlScalarType.String && !ValueParsers.IsValidEmail(text))
                {
                    diagnostics.Add(Diagnose.InvalidEmail(plan.Loc(address), Quote.Cell(text)));
                }
            }

            ExchangeOnlineRules.Check(node, definition, source, target, diagnostics, plan.Loc);
            ItemKindRules.Check(node, definition, source, target, diagnostics, plan.Loc);
        }
    }

    private static void CheckTypes(BoundPlan plan, BoundMigration migration, DiagnosticBag diagnostics)
    {
        var (definition, node, source, target, _) = migration;
        var type = definition.Type;
        var name = definition.Name;
        if (!SourceTypesByMigration.TryGetValue(type, out var sourceTypes))
        {
            return;
        }

        var typeNode = node.GetScalar("type")!;
        if (source is not null && EndpointRules.IsKnown(source) && !sourceTypes.Contains(source.Type))
        {
            diagnostics.Add(Diagnose.SourceTypeMismatch(plan.Loc(node.GetScalar("from")!), type.Yaml(), source.Name, source.Type.Yaml(),
                string.Join(" or ", sourceTypes.Select(t => t.Yaml()))));
        }

        var targetTypes = TargetTypesByMigration[type];
        if (target is not null && EndpointRules.IsKnown(target) && !targetTypes.Contains(target.Type))
        {
            diagnostics.Add(Diagnose.TargetTypeMismatch(plan.Loc(node.GetScalar("to")!), type.Yaml(), target.Name, target.Type.Yaml(),
                string.Join(" or ", targetTypes.Select(t => t.Yaml()))));
        }

        var engine = node.GetScalar("engine");
        if (engine is not null && definition.Engine == CopyEngine.Exchange && (type != MigrationType.Imap || target is not null && target.Type != EndpointType.Graph))
        {
            diagnostics.Add(Diagnose.EngineExchangeNeedsImap(plan.Loc(engine), name));
        }

        if (source?.Type == EndpointType.Exchange && int.TryParse(source.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            var from = plan.Loc(node.GetScalar("from")!);
            if (type == MigrationType.Cutover && version < 2003)
            {
                diagnostics.Add(Diagnose.CutoverSourceVersion(from, name, source.Name, version, hint: "use a hybrid migration for Exchange 2016 and later"));
            }
            else if (type == MigrationType.Staged && version is not (2003 or 2007))
            {
                diagnostics.Add(Diagnose.StagedSourceVersion(from, name, source.Name, version, hint: "use cutover or hybrid for Exchange 2010 and later"));
            }
            else if (type == MigrationType.Hybrid && version < 2010)
            {
                diagnostics.Add(Diagnose.HybridSourceVersion(from, name, source.Name, version,
                    hint: "use a staged or cutover migration for Exchange 2003/2007"));
            }
        }

        // Microsoft's rule for its IMAP migrations: only where Exchange Online is the target (not IMAP to IMAP or Maildir).
        if (type == MigrationType.Imap && ExchangeOnline.IsTarget(target) && target!.Provision?.CreateUsers != true)
        {
            diagnostics.Add(Diagnose.ImapMovesMailOnly(plan.Loc(typeNode), name));
        }
    }

    private static void CheckFilters(BoundPlan plan, BoundMigration migration, DiagnosticBag diagnostics)
    {
        var (definition, node, _, target, _) = migration;
        if (node.GetMapping("filters") is not { } filters)
        {
            return;
        }

        if (definition.Filters is { Since: { } since, Before: { } before } && since >= before)
        {
            diagnostics.Add(Diagnose.SinceAfterBefore(plan.Loc(filters.GetScalar("since")!),
                filters.GetScalar("since")!.Value, filters.GetScalar("before")!.Value));
        }

        if (definition.Filters.MaxMessageSize is { } size && ExchangeOnline.IsTarget(target))
        {
            var sizeNode = filters.GetScalar("maxMessageSize")!;
            if (size > MaxExchangeOnlineMessageLimit)
            {
                diagnostics.Add(Diagnose.MessageSizeAboveMaximum(plan.Loc(sizeNode), sizeNode.Value, target!.Name));
            }
            else if (size > DefaultExchangeOnlineMessageLimit)
            {
                diagnostics.Add(Diagnose.MessageSizeAboveDefault(plan.Loc(sizeNode), sizeNode.Value, target!.Name));
            }
        }
    }

    private static void CheckSchedule(BoundPlan plan, BoundMigration migration, DiagnosticBag diagnostics)
    {
        if (migration.Definition is { StartAfter: { } start, CompleteAfter: { } complete } && complete < start)
        {
            var completeNode = migration.Node.GetScalar("completeAfter")!;
            diagnostics.Add(Diagnose.CompleteBeforeStart(plan.Loc(completeNode), completeNode.Value, migration.Node.GetScalar("startAfter")!.Value));
        }
    }

    /// <summary>Folder include/exclude patterns are compiled here, so a broken <c>/regex/</c> fails validate, not every mailbox at apply.</summary>
    private static void CheckFolderPatterns(BoundPlan plan, YamlTreeMapping? folders, DiagnosticBag diagnostics)
    {
        foreach (var key in new[] { "include", "exclude" })
        {
            foreach (var item in folders?.GetSequence(key)?.Items ?? [])
            {
                if (item.Value is not YamlTreeScalar { IsNull: false } pattern)
                {
                    continue;
                }

                try
                {
                    FolderRulesMatcher.ToRegex(pattern.Value);
                }
                catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
                {
                    var reason = ex is RegexParseException parse ? parse.Error.ToString() : "not supported by the non-backtracking engine";
                    diagnostics.Add(Diagnose.InvalidFolderPattern(plan.Loc(pattern),
                        "folders." + key, Quote.Cell(pattern.Value), reason, hint: "check the /regex/ syntax, or write a glob such as Archive/*"));
                }
            }
        }
    }
}

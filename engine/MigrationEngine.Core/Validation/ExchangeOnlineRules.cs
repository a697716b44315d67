using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// The rules Microsoft documents for its migration service, over a migration's <c>exchange:</c> block and its endpoints
/// (bound by <see cref="Binding.PlanBinder"/>). Each rule cites the page it follows.
/// </summary>
internal static class ExchangeOnlineRules
{
    /// <summary>Rules that need the migration, its source and target (called once per migration).</summary>
    public static void Check(YamlTreeMapping node, MigrationDefinition migration, EndpointDefinition? source, EndpointDefinition? target,
        DiagnosticBag diagnostics, Func<YamlTreeNode, SourceLocation> loc)
    {
        var type = migration.Type;
        var typeWord = type.Yaml();
        var native = ExchangeOnline.RunsMigration(type, migration.Engine);
        var at = (string key) => loc(node.Get(key) ?? node);
        if (!native)
        {
            // The PST Import Service takes exchange.mailboxType (IsArchive of the mapping file); nothing else of the block applies.
            var importService = type == MigrationType.Pst && source?.Engine == PstEngine.ImportService;
            if (node.Get("exchange") is { } block && !importService)
            {
                diagnostics.Add(Diagnose.ExchangeSettingsIgnored(loc(block), migration.Name, typeWord,
                    hint: "remove the exchange: block, or set engine: exchange"));
            }
            else if (importService && migration.Exchange.MailboxType == MailboxScope.PrimaryAndArchive)
            {
                diagnostics.Add(Diagnose.MailboxTypeNeedsHybrid(at("exchange"), migration.Name, typeWord,
                    hint: "a PST file goes to the primary mailbox or to the archive (IsArchive): write primaryOnly or archiveOnly"));
            }

            return;
        }

        // "-BadItemLimit ... This parameter is available only in on-premises Exchange ... deprecated from the cloud-based service.
        // Admins must review the Data Consistency Score" https://learn.microsoft.com/powershell/module/exchangepowershell/set-migrationbatch
        if (migration.BadItemLimit is not null)
        {
            diagnostics.Add(Diagnose.ExchangeBadItemLimitIgnored(at("badItemLimit"),
                migration.Name, typeWord,
                hint: "remove badItemLimit; review skipped items with 'migrate status' and approve them under exchange.skippedItemApprovals (https://learn.microsoft.com/exchange/mailbox-migration/track-prevent-data-loss-dcs)"));
        }

        // -IncludeFolders/-ExcludeFolders: "For an IMAP migration or Google Workspace migration"
        // https://learn.microsoft.com/powershell/module/exchangepowershell/new-migrationbatch
        if (type is MigrationType.Cutover or MigrationType.Staged or MigrationType.Hybrid && migration.Folders.Include.Count + migration.Folders.Exclude.Count > 0)
        {
            diagnostics.Add(Diagnose.ExchangeFoldersNotSupported(at("folders"), migration.Name, typeWord,
                hint: "remove folders.include/exclude; these batches move whole mailboxes"));
        }

        // "For an IMAP migration, you must first provision mailboxes in Exchange Online" (New-MigrationBatch reference).
        if (type == MigrationType.Imap && target?.Provision?.CreateUsers == true)
        {
            diagnostics.Add(Diagnose.ExchangeImapCannotProvision(at("engine"), migration.Name, target.Name,
                hint: "create the mailboxes first (or migrate with engine: engine, which provisions them through Graph), then remove provision.createUsers"));
        }

        if (type == MigrationType.Imap && source?.Preset == ImapPresetName.Gmail)
        {
            // "a migration type: gworkspace (or imap from a gmail preset with engine: exchange)": say which one moves what.
            diagnostics.Add(Diagnose.GmailOverImapMailOnly(at("engine"), migration.Name,
                hint: "use type: gworkspace with a gworkspace source (service account key) for https://learn.microsoft.com/exchange/mailbox-migration/perform-g-suite-migration"));
        }

        if (type == MigrationType.Imap && migration.Filters.MaxMessageSize is { } size && size > 35L * 1024 * 1024)
        {
            // "The largest single email message that can be migrated is ... 35 MB" (IMAP and Google Workspace migration articles).
            diagnostics.Add(Diagnose.ExchangeImapMessageLimit(at("filters"), migration.Name, node.GetMapping("filters")?.GetString("maxMessageSize")));
        }

        if (migration.Exchange.MailboxType is not null && type != MigrationType.Hybrid)
        {
            diagnostics.Add(Diagnose.MailboxTypeNeedsHybrid(at("exchange"), migration.Name, typeWord, hint: "remove exchange.mailboxType"));
        }

        if (source?.Type == EndpointType.Exchange && source.Server is null && !source.ExchangeEndpoint.Autodiscover)
        {
            diagnostics.Add(Diagnose.ExchangeSourceNeedsServer(source.Location, source.Name, typeWord, migration.Name,
                hint: "set server: (the mailbox server's FQDN; hybrid: the MRS proxy) or migrationEndpoint.autodiscover: true with emailAddress"));
        }

        // Cutover: Microsoft's current article says "Exchange Server 2003 or later"
        // (https://learn.microsoft.com/exchange/mailbox-migration/cutover-migration-to-office-365); the migration guide this product
        // implements names 2003 to 2013. A warning, citing both.
        if (type == MigrationType.Cutover && source?.Type == EndpointType.Exchange && int.TryParse(source.Version, out var version) && version >= 2016)
        {
            diagnostics.Add(Diagnose.CutoverVersionOutsideGuide(at("from"),
                migration.Name, version, source.Name,
                hint: "hybrid is Microsoft's recommendation for Exchange 2016 and later; see https://learn.microsoft.com/exchange/mailbox-migration/cutover-migration-to-office-365"));
        }

        if (type == MigrationType.Gworkspace)
        {
            CheckGoogleWorkspace(migration, at("targetDeliveryDomain"), diagnostics);
        }
    }

    /// <summary>
    /// "enter the target delivery domain, which is the domain you created for routing mail ... The target delivery domain must be different
    /// from the primary domain of the users in Google Workspace." https://learn.microsoft.com/exchange/mailbox-migration/perform-g-suite-migration
    /// </summary>
    private static void CheckGoogleWorkspace(MigrationDefinition migration, SourceLocation where, DiagnosticBag diagnostics)
    {
        if (migration.TargetDeliveryDomain is not { } domain)
        {
            diagnostics.Add(Diagnose.GoogleWorkspaceRoutingDomain(where,
                migration.Name, "targetDeliveryDomain is required",
                hint: "set targetDeliveryDomain: the subdomain whose MX points to Exchange Online (o365.fabrikam.com)"));
        }
    }

    /// <summary>Rules on the migration's mailboxes (called with the mailboxes counted once each).</summary>
    public static void CheckMailboxes(MigrationDefinition migration, IReadOnlyCollection<MailboxEntry> mailboxes, SourceLocation where, DiagnosticBag diagnostics)
    {
        if (!ExchangeOnline.RunsMigration(migration.Type, migration.Engine))
        {
            return;
        }

        // "You can migrate a maximum of 1,000 Exchange Server 2003, Exchange Server 2007, or Exchange Server 2010 mailboxes using a cutover
        // migration." https://learn.microsoft.com/powershell/module/exchangepowershell/new-migrationbatch (the article says 2,000: MIG0213).
        if (migration.Type == MigrationType.Cutover && mailboxes.Count is > 1_000 and <= 2_000)
        {
            diagnostics.Add(Diagnose.CutoverAboveReferenceLimit(where, migration.Name, mailboxes.Count, hint: "split into a staged or hybrid migration"));
        }

        var addresses = mailboxes.Select(m => m.TargetAddress).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var approval in migration.Exchange.SkippedItemApprovals.Where(a => a.Mailbox != "*" && !addresses.Contains(a.Mailbox)))
        {
            diagnostics.Add(Diagnose.ApprovalForUnknownMailbox(approval.Location, approval.Mailbox, migration.Name,
                hint: "write the mailbox's target address, or * for every mailbox"));
        }

        if (migration.Type == MigrationType.Gworkspace && migration.TargetDeliveryDomain is { } domain)
        {
            var clash = mailboxes.FirstOrDefault(m => m.SourceAddress.EndsWith("@" + domain, StringComparison.OrdinalIgnoreCase));
            if (clash is not null)
            {
                diagnostics.Add(Diagnose.GoogleWorkspaceRoutingDomain(where,
                    migration.Name, $"targetDeliveryDomain {domain} is the primary domain of {clash.SourceAddress}; it must differ from the users' Google Workspace domain",
                    hint: "use a subdomain created for routing (o365.fabrikam.com)"));
            }
        }
    }
}

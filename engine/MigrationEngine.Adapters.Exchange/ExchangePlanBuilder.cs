using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>How to sign in to Exchange Online app-only: a certificate (file or base64 in a variable), or a client secret exchanged for a token.</summary>
internal sealed record ConnectionSpec(
    string AppId,
    string Organization,
    string TenantId,
    string? CertificateFile,
    SecretReference? CertificateBase64,
    SecretReference? CertificatePassword,
    SecretReference? ClientSecret,
    string? AuthorityHost,
    MicrosoftCloud? Cloud);

/// <summary>What one Exchange-native migration should look like in Exchange Online.</summary>
internal sealed record ExchangeDesiredState(MigrationType MigrationType, ConnectionSpec Connection, EndpointSpec Endpoint, IReadOnlyList<BatchSpec> Batches)
{
    public BatchSpec BatchFor(Step step)
    {
        var slash = step.Id.IndexOf('/', StringComparison.Ordinal);
        var rest = step.Id[(slash + 1)..];
        var suffix = rest.Length > step.Migration.Length ? rest[step.Migration.Length..] : string.Empty;
        return Batches.First(b => b.StepSuffix == suffix);
    }
}

/// <summary>Turns a migration of the plan into endpoint and batch specifications (pure: no I/O, no secret is read).</summary>
internal static partial class ExchangePlanBuilder
{
    /// <summary>Microsoft's limit on migration batch names.</summary>
    public const int MaxNameLength = 64;

    /// <summary>
    /// New-MigrationBatch -IncludeFolders/-ExcludeFolders take <c>#FolderName#</c> for "a well-known folder regardless of the folder's
    /// name in another language" (#Inbox# is the Inbox even where it is called Gelen Kutusu); the reference lists Root, Inbox,
    /// SentItems, Outbox, DeletedItems, Calendar, Contacts, Drafts, Journal, Tasks, Notes, AllItems, JunkEmail and Archive, and
    /// says folder names are not case-sensitive (https://learn.microsoft.com/powershell/module/exchangepowershell/new-migrationbatch,
    /// -ExcludeFolders). Which source names are a mail role is Core's one list, <see cref="WellKnownFolderNames"/> (so "Bin" and
    /// Yahoo's "Draft" mean here what they mean to every other source); this table only says which token each role is.
    /// </summary>
    private static readonly Dictionary<SpecialUse, string> RoleTokens = new()
    {
        [SpecialUse.Inbox] = "#Inbox#",
        [SpecialUse.Sent] = "#SentItems#",
        [SpecialUse.Drafts] = "#Drafts#",
        [SpecialUse.Trash] = "#DeletedItems#",
        [SpecialUse.Junk] = "#JunkEmail#",
        [SpecialUse.Archive] = "#Archive#",
        [SpecialUse.All] = "#AllItems#",
    };

    /// <summary>
    /// The reference's well-known folders that are no mail role of Core's (Outlook's item folders, Gmail's All Mail, which
    /// file and IMAP sources copy as ordinary folders): named here only, for the batch's folder lists.
    /// </summary>
    private static readonly Dictionary<string, string> OtherWellKnownFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Calendar"] = "#Calendar#",
        ["Contacts"] = "#Contacts#",
        ["Tasks"] = "#Tasks#",
        ["Journal"] = "#Journal#",
        ["Outbox"] = "#Outbox#",
        ["Notes"] = "#Notes#",
        ["All Mail"] = "#AllItems#",
        ["[Gmail]/All Mail"] = "#AllItems#",
    };

    /// <summary>The New-MigrationBatch well-known folder token for a source folder name (case ignored), or null for a personal folder.</summary>
    internal static string? WellKnownToken(string folderName) =>
        RoleTokens.TryGetValue(WellKnownFolderNames.Of(folderName), out var token) ? token
            : OtherWellKnownFolders.GetValueOrDefault(folderName);

    public static ExchangeDesiredState? Build(PlanModel plan, MigrationDefinition migration, ExchangeExecutorOptions options, List<Diagnostic> diagnostics)
    {
        var errorsBefore = diagnostics.Count(d => d.IsError);
        if (!plan.Sources.TryGetValue(migration.From, out var source) || !plan.Targets.TryGetValue(migration.To, out var target))
        {
            diagnostics.Add(Diagnose.ExchangeSettingMissing(migration.Location, migration.Name, $"source '{migration.From}' or target '{migration.To}' is not defined"));
            return null;
        }

        var connection = BuildConnection(plan, migration, target, options, diagnostics);
        var endpoint = BuildEndpoint(plan, migration, source, diagnostics);
        var batches = BuildBatches(plan, migration, source, diagnostics);
        if (connection is null || endpoint is null || diagnostics.Count(d => d.IsError) > errorsBefore)
        {
            return null;
        }

        return new ExchangeDesiredState(migration.Type, connection, endpoint, batches);
    }

    public static ConnectionSpec? BuildConnection(PlanModel plan, MigrationDefinition migration, EndpointDefinition target, ExchangeExecutorOptions options, List<Diagnostic> diagnostics)
    {
        if (target.Type != EndpointType.Graph || string.IsNullOrWhiteSpace(target.ClientId) || string.IsNullOrWhiteSpace(target.TenantId))
        {
            diagnostics.Add(Diagnose.ExchangeSettingMissing(target.Location,
                migration.Name, $"target '{target.Name}' does not name an Exchange Online tenant and application",
                    hint: "the target must be a graph endpoint with tenantId and clientId (an app registration with the Exchange.ManageAsApp permission)"));
            return null;
        }

        var organization = OrganizationOf(target, migration, options);
        if (organization is null)
        {
            diagnostics.Add(Diagnose.ExchangeSettingMissing(target.Location,
                migration.Name, $"Connect-ExchangeOnline needs the tenant's .onmicrosoft.com domain, and tenantId {target.TenantId} is a GUID",
                    hint: "write tenantId as the tenant's primary domain (contoso.onmicrosoft.com), or set MIGRATE_EXO_ORGANIZATION"));
            return null;
        }

        string? certificateFile = null;
        SecretReference? certificateBase64 = null;
        if (target.Certificate is { } certificate)
        {
            if (certificate.Kind == SecretKind.File)
            {
                var path = certificate.Display["file:".Length..];
                certificateFile = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(plan.PlanDirectory, path));
            }
            else
            {
                certificateBase64 = certificate;
            }
        }
        else if (target.ClientSecret is null)
        {
            diagnostics.Add(Diagnose.ExchangeSettingMissing(target.Location,
                migration.Name, $"target '{target.Name}' has neither a certificate nor a client secret to connect to Exchange Online",
                    hint: "set certificate: file:PATH (recommended) or clientSecret: env:NAME"));
            return null;
        }

        return new ConnectionSpec(target.ClientId!, organization, target.TenantId!, certificateFile, certificateBase64, target.CertificatePassword,
            target.Certificate is null ? target.ClientSecret : null, options.AuthorityHost?.ToString() ?? target.AuthorityHost, target.Cloud);
    }

    private static string? OrganizationOf(EndpointDefinition target, MigrationDefinition migration, ExchangeExecutorOptions options)
    {
        if (options.Organization is { } configured)
        {
            return configured;
        }

        if (target.TenantId!.Contains('.', StringComparison.Ordinal))
        {
            return target.TenantId;
        }

        // contoso.mail.onmicrosoft.com (the coexistence domain) belongs to the tenant contoso.onmicrosoft.com.
        const string coexistence = ".mail.onmicrosoft.com";
        if (migration.TargetDeliveryDomain is { } domain && domain.EndsWith(coexistence, StringComparison.OrdinalIgnoreCase))
        {
            return domain[..^coexistence.Length] + ".onmicrosoft.com";
        }

        return null;
    }

    private static EndpointSpec? BuildEndpoint(PlanModel plan, MigrationDefinition migration, EndpointDefinition source, List<Diagnostic> diagnostics)
    {
        var name = LimitName($"{plan.Name}-{source.Name}");
        var settings = source.ExchangeEndpoint;

        // Only what the plan sets: the service's defaults are 100 and 20, and an admin may have tuned them in the admin center.
        // https://learn.microsoft.com/powershell/module/exchangepowershell/new-migrationendpoint
        var limits = new List<PsSetting>();
        if (settings.MaxConcurrentMigrations is { } migrations)
        {
            limits.Add(new("MaxConcurrentMigrations", new PsInt(migrations), "MaxConcurrentMigrations", true));
        }

        if (settings.MaxConcurrentIncrementalSyncs is { } syncs)
        {
            limits.Add(new("MaxConcurrentIncrementalSyncs", new PsInt(syncs), "MaxConcurrentIncrementalSyncs", true));
        }

        switch (migration.Type)
        {
            case MigrationType.Cutover:
            case MigrationType.Staged:
            case MigrationType.Hybrid:
                return OnPremisesEndpoint(plan, migration, source, name, limits, diagnostics);
            case MigrationType.Gworkspace:
                return GoogleWorkspaceEndpoint(migration, source, name, limits, diagnostics);
            case MigrationType.Imap:
            {
                if (source.Type != EndpointType.Imap || source.Host is not { } host)
                {
                    diagnostics.Add(Diagnose.ExchangeSettingMissing(source.Location, migration.Name, $"source '{source.Name}' is not an IMAP server",
                        hint: "an imap source with host"));
                    return null;
                }

                var security = source.Tls switch
                {
                    TlsMode.StartTls => "Tls",
                    TlsMode.None => "None",
                    _ => "Ssl",
                };
                var port = source.Port ?? (security == "Ssl" ? 993 : 143);
                List<PsSetting> server =
                [
                    new("RemoteServer", new PsText(host), "RemoteServer", true),
                    new("Port", new PsInt(port), "Port", true),
                    new("Security", new PsText(security), "Security", true),
                ];
                return new EndpointSpec(name, EndpointKind.Imap, server, [.. server, .. limits]);
            }

            default:
                diagnostics.Add(Diagnose.ExchangeUnsupported(migration.Location, migration.Name, migration.Type.Yaml(), "this migration type does not run in Exchange Online's migration service"));
                return null;
        }
    }

    /// <summary>
    /// Outlook Anywhere (cutover, staged) or remote move (hybrid), with named servers or found by Autodiscover from an e-mail address, as the
    /// cutover and staged articles describe (https://learn.microsoft.com/exchange/mailbox-migration/cutover-migration-to-office-365): the
    /// Exchange server is the mailbox server's FQDN, the RPC proxy server the Outlook Anywhere host; they are usually different.
    /// </summary>
    private static EndpointSpec? OnPremisesEndpoint(PlanModel plan, MigrationDefinition migration, EndpointDefinition source, string name, List<PsSetting> limits, List<Diagnostic> diagnostics)
    {
        if (source.Type != EndpointType.Exchange || source.Credentials?.Username is not { } user || source.Credentials.Password is not { } password)
        {
            diagnostics.Add(Diagnose.ExchangeSettingMissing(source.Location,
                migration.Name, $"a {migration.Type.Yaml()} migration needs an exchange source with admin credentials; '{source.Name}' has none",
                    hint: "add credentials: {username: DOMAIN\\admin, password: env:NAME} to the exchange source"));
            return null;
        }

        var credentials = new PsSetting("Credentials", new PsCredential(user, password), "UserName", true);
        var settings = source.ExchangeEndpoint;
        var kind = migration.Type == MigrationType.Hybrid ? EndpointKind.ExchangeRemoteMove : EndpointKind.ExchangeOutlookAnywhere;
        var mailboxes = PlanCompiler.MailboxesOf(plan, migration);
        var address = settings.EmailAddress ?? (mailboxes.Count > 0 ? mailboxes[0].SourceAddress : null);
        if (settings.Autodiscover)
        {
            // Parameter sets ExchangeOutlookAnywhereAutoDiscover / ExchangeRemoteMoveAutoDiscover: -EmailAddress and -Credentials, no servers.
            if (address is null)
            {
                diagnostics.Add(Diagnose.ExchangeSettingMissing(source.Location, migration.Name, "Autodiscover needs an e-mail address",
                    hint: "set migrationEndpoint.emailAddress"));
                return null;
            }

            List<PsSetting> discover = [new("Autodiscover", new PsSwitch(true), null, false), new("EmailAddress", new PsText(address), null, false), credentials];
            return new EndpointSpec(name, kind, discover, [.. discover, .. limits]);
        }

        if (source.Server is not { } server)
        {
            diagnostics.Add(Diagnose.ExchangeSettingMissing(source.Location, migration.Name, $"source '{source.Name}' names no server",
                hint: "set server: or migrationEndpoint.autodiscover: true"));
            return null;
        }

        if (kind == EndpointKind.ExchangeRemoteMove)
        {
            var remoteServer = new PsSetting("RemoteServer", new PsText(server), "RemoteServer", true);
            return new EndpointSpec(name, kind, [remoteServer, credentials], [remoteServer, credentials, .. limits]);
        }

        if (address is null)
        {
            diagnostics.Add(Diagnose.ExchangeSettingMissing(migration.Location, migration.Name, "Outlook Anywhere endpoints are verified with one mailbox's address, and the migration has none",
                hint: "list at least one mailbox"));
            return null;
        }

        var proxy = settings.RpcProxyServer ?? server;
        var email = new PsSetting("EmailAddress", new PsText(address), null, false);
        var authentication = new PsSetting("Authentication", new PsText("Basic"), null, false);
        // Test-MigrationServerAvailability names the proxy -RPCProxyServer (its parameter set ExchangeOutlookAnywhere makes both servers mandatory).
        List<PsSetting> test = [new("ExchangeServer", new PsText(server), null, false), new("RPCProxyServer", new PsText(proxy), null, false), authentication, email, credentials];
        List<PsSetting> create =
        [
            new("ExchangeServer", new PsText(server), "ExchangeServer", true),
            new("RpcProxyServer", new PsText(proxy), "RpcProxyServer", true),
            authentication, email, credentials, .. limits,
        ];
        return new EndpointSpec(name, kind, test, create);
    }

    /// <summary>
    /// Google Workspace: New-MigrationEndpoint -Gmail -ServiceAccountKeyFileData (the service account's JSON key) -EmailAddress (a super admin).
    /// https://learn.microsoft.com/exchange/mailbox-migration/perform-g-suite-migration
    /// </summary>
    private static EndpointSpec? GoogleWorkspaceEndpoint(MigrationDefinition migration, EndpointDefinition source, string name, List<PsSetting> limits, List<Diagnostic> diagnostics)
    {
        if (source.Type != EndpointType.Gworkspace || source.ExchangeEndpoint.ServiceAccountKey is not { } key || source.ExchangeEndpoint.EmailAddress is not { } admin)
        {
            diagnostics.Add(Diagnose.ExchangeSettingMissing(source.Location,
                migration.Name, $"source '{source.Name}' is not a Google Workspace source with a service account key",
                    hint: "a gworkspace source with serviceAccountKey: file:KEY.json and adminEmail"));
            return null;
        }

        List<PsSetting> settings = [new("ServiceAccountKeyFileData", new PsSecretBytes(key), null, false), new("EmailAddress", new PsText(admin), null, false)];
        return new EndpointSpec(name, EndpointKind.Gmail, settings, [.. settings, .. limits]);
    }

    private static List<BatchSpec> BuildBatches(PlanModel plan, MigrationDefinition migration, EndpointDefinition source, List<Diagnostic> diagnostics)
    {
        var mailboxes = PlanCompiler.MailboxesOf(plan, migration);
        var size = migration.Type == MigrationType.Staged ? PlanCompiler.StagedBatchLimit : Math.Max(1, mailboxes.Count);
        var count = migration.Type == MigrationType.Cutover ? 1 : Math.Max(1, (mailboxes.Count + size - 1) / size);
        var common = CommonSettings(migration, diagnostics);
        var batches = new List<BatchSpec>();
        for (var index = 0; index < count; index++)
        {
            var members = migration.Type == MigrationType.Cutover ? [] : mailboxes.Skip(index * size).Take(size).ToList();
            var suffix = count == 1 ? string.Empty : $"/{index + 1}";
            var name = LimitName($"{plan.Name}-{migration.Name}{(count == 1 ? string.Empty : "-" + (index + 1).ToString(CultureInfo.InvariantCulture))}");
            var csv = BuildCsv(migration, source, members, diagnostics);
            var settings = new List<PsSetting> { new("SourceEndpoint", new PsText(LimitName($"{plan.Name}-{source.Name}")), "SourceEndpoint", false) };
            settings.AddRange(common);
            batches.Add(new BatchSpec(suffix, name, settings, csv, members.Select(PlanCompiler.MailboxKey).ToList(),
                AutoStart: migration.StartAfter is null, migration.StartAfter, migration.Complete, migration.CompleteAfter,
                settings.FirstOrDefault(s => s.Parameter == "ContentFilter")?.Value is PsText filter ? filter.Value : null));
        }

        return batches;
    }

    private static List<PsSetting> CommonSettings(MigrationDefinition migration, List<Diagnostic> diagnostics)
    {
        var settings = new List<PsSetting>();
        if (migration.Type is MigrationType.Hybrid or MigrationType.Gworkspace)
        {
            if (migration.TargetDeliveryDomain is not { } domain)
            {
                diagnostics.Add(Diagnose.ExchangeSettingMissing(migration.Location,
                    migration.Name, $"a {migration.Type.Yaml()} migration needs targetDeliveryDomain",
                        hint: "set targetDeliveryDomain: contoso.mail.onmicrosoft.com"));
            }
            else
            {
                settings.Add(new("TargetDeliveryDomain", new PsText(domain), "TargetDeliveryDomain", false));
            }
        }

        if (migration.NotificationEmails.Count > 0)
        {
            settings.Add(new("NotificationEmails", new PsList(migration.NotificationEmails), "NotificationEmails", true));
        }

        // No -BadItemLimit/-LargeItemLimit: Exchange Server only, replaced by the Data Consistency Score in the cloud (validation warns, MIG0270).
        // https://learn.microsoft.com/powershell/module/exchangepowershell/new-migrationbatch
        if (migration.StartAfter is { } start)
        {
            settings.Add(new("StartAfter", new PsDate(start), "StartAfter", true));
        }

        if (migration.CompleteAfter is { } complete)
        {
            settings.Add(new("CompleteAfter", new PsDate(complete), "CompleteAfter", true));
        }

        var folders = migration.Folders;
        if (folders.Include.Count + folders.Exclude.Count > 0)
        {
            // "For an IMAP migration or Google Workspace migration" (-IncludeFolders/-ExcludeFolders, New-MigrationBatch reference).
            if (migration.Type is not (MigrationType.Imap or MigrationType.Gworkspace))
            {
                diagnostics.Add(Diagnose.ExchangeUnsupported(migration.Location, migration.Name, migration.Type.Yaml(),
                    "only IMAP and Google Workspace batches take folder lists; this batch moves whole mailboxes",
                        hint: "remove folders.include/exclude"));
            }
            else
            {
                var include = FolderTokens(migration, folders.Include, diagnostics);
                var exclude = FolderTokens(migration, folders.Exclude, diagnostics);
                if (include.Count > 0)
                {
                    settings.Add(new("IncludeFolders", new PsList(include), "IncludeFolders", false));
                }

                if (exclude.Count > 0)
                {
                    settings.Add(new("ExcludeFolders", new PsList(exclude), "ExcludeFolders", false));
                }
            }
        }

        if (folders.Map.Count > 0)
        {
            diagnostics.Add(Diagnose.ExchangeUnsupported(migration.Location, migration.Name, migration.Type.Yaml(),
                "migration batches cannot rename folders", hint: "remove folders.map, or migrate with the engine (engine: engine)"));
        }

        var filters = migration.Filters;
        if (filters.Since is not null || filters.Before is not null)
        {
            // -ContentFilter: "available only in the cloud-based service for IMAP migration and Google Workspace migration".
            if (migration.Type is not (MigrationType.Imap or MigrationType.Gworkspace))
            {
                diagnostics.Add(Diagnose.ExchangeUnsupported(migration.Location, migration.Name, migration.Type.Yaml(),
                    "only IMAP and Google Workspace batches take a content filter on the received date", hint: "remove filters.since/before"));
            }
            else
            {
                var parts = new List<string>();
                if (filters.Since is { } since)
                {
                    parts.Add($"Received -ge '{since.UtcDateTime.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture)}'");
                }

                if (filters.Before is { } before)
                {
                    parts.Add($"Received -lt '{before.UtcDateTime.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture)}'");
                }

                // A relative since (90d) is resolved when the batch is created and recorded then: the filter of an existing batch is not compared.
                var relative = migration.Exchange.SinceAgo is not null;
                settings.Add(new("ContentFilter", new PsText(string.Join(" -and ", parts)), relative ? null : "ContentFilter", false));
            }
        }

        if (filters.MaxMessageSize is not null)
        {
            diagnostics.Add(Diagnose.ExchangeUnsupported(migration.Location, migration.Name, migration.Type.Yaml(),
                "filters.maxMessageSize is ignored by migration batches",
                    hint: "Exchange Online applies its own limit (150 MB)") with { Severity = DiagnosticSeverity.Warning });
        }

        return settings;
    }

    /// <summary>
    /// Folder rules as New-MigrationBatch folder names: well-known folders become tokens (#JunkEmail#); for IMAP the source's own
    /// name is kept too, since the service matches IMAP folder names as written. <c>X/**</c> becomes <c>X/*</c> (X and its subfolders).
    /// </summary>
    internal static List<string> FolderTokens(MigrationDefinition migration, IReadOnlyList<string> rules, List<Diagnostic> diagnostics)
    {
        var tokens = new List<string>();
        foreach (var rule in rules)
        {
            var text = rule.Trim().Trim('/');
            var subfolders = false;
            if (text.EndsWith("/**", StringComparison.Ordinal))
            {
                text = text[..^3];
                subfolders = true;
            }

            if (rule.Length > 1 && rule.StartsWith('/') && rule.EndsWith('/') || text.IndexOfAny(['*', '?', '[']) >= 0)
            {
                diagnostics.Add(Diagnose.ExchangeUnsupported(migration.Location, migration.Name, migration.Type.Yaml(),
                    $"folder rule '{rule}' is a pattern; migration batches only take folder names",
                        hint: "write plain folder names, or NAME/** for a folder and its subfolders"));
                continue;
            }

            var suffix = subfolders ? "/*" : string.Empty;
            if (WellKnownToken(text) is { } token)
            {
                tokens.Add(token + suffix);
                if (migration.Type is MigrationType.Imap or MigrationType.Gworkspace && !string.Equals(text, token.Trim('#'), StringComparison.OrdinalIgnoreCase))
                {
                    tokens.Add(text + suffix);
                }
            }
            else
            {
                tokens.Add(text + suffix);
            }
        }

        return tokens.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static CsvDocument? BuildCsv(MigrationDefinition migration, EndpointDefinition source, IReadOnlyList<MailboxEntry> members, List<Diagnostic> diagnostics)
    {
        switch (migration.Type)
        {
            case MigrationType.Staged:
                return new CsvDocument(["EmailAddress", "Password", "ForceChangePassword"], members.Select(m => (IReadOnlyList<CsvCell>)
                [
                    CsvCell.Of(m.TargetAddress),
                    CsvCell.Of(m.Password),
                    CsvCell.Of(m.ForceChangePassword is { } force ? (force ? "True" : "False") : null),
                ]).ToList());
            case MigrationType.Hybrid when migration.Exchange.MailboxType is { } scope:
                // The remote move CSV's MailboxType column (PrimaryOnly, ArchiveOnly, PrimaryAndArchive) moves archives separately; the reference
                // puts -ArchiveOnly in the Local parameter set only, so the CSV is the way for onboarding batches.
                // https://learn.microsoft.com/exchange/mailbox-migration/csv-files-for-migration
                return new CsvDocument(["EmailAddress", "MailboxType"], members.Select(m => (IReadOnlyList<CsvCell>)[CsvCell.Of(m.TargetAddress), CsvCell.Of(scope.ToString())]).ToList());
            case MigrationType.Hybrid:
                return new CsvDocument(["EmailAddress"], members.Select(m => (IReadOnlyList<CsvCell>)[CsvCell.Of(m.TargetAddress)]).ToList());
            case MigrationType.Gworkspace:
            {
                // "EmailAddress (required) ... Username (optional). Contains the Gmail primary email address, if it differs from EmailAddress."
                // https://learn.microsoft.com/exchange/mailbox-migration/perform-g-suite-migration
                var renamed = members.Any(m => !string.Equals(m.SourceAddress, m.TargetAddress, StringComparison.OrdinalIgnoreCase));
                return renamed
                    ? new CsvDocument(["EmailAddress", "UserName"], members.Select(m => (IReadOnlyList<CsvCell>)[CsvCell.Of(m.TargetAddress), CsvCell.Of(m.SourceAddress)]).ToList())
                    : new CsvDocument(["EmailAddress"], members.Select(m => (IReadOnlyList<CsvCell>)[CsvCell.Of(m.TargetAddress)]).ToList());
            }

            case MigrationType.Imap:
            {
                var withRoot = members.Any(m => !string.IsNullOrEmpty(m.UserRoot));
                var rows = new List<IReadOnlyList<CsvCell>>();
                foreach (var mailbox in members)
                {
                    var password = mailbox.Password ?? source.Auth?.Password;
                    if (password is null)
                    {
                        diagnostics.Add(Diagnose.ExchangeSettingMissing(mailbox.Location,
                            migration.Name, $"IMAP batches log in as each user, and {mailbox.SourceAddress} has no password",
                                hint: "give the mailbox a password (CSV column Password) or the source auth.password"));
                        continue;
                    }

                    var user = mailbox.Username
                        ?? source.Auth?.Username?.Replace("{mailbox}", mailbox.SourceAddress, StringComparison.Ordinal)
                        ?? mailbox.SourceAddress;
                    var row = new List<CsvCell> { CsvCell.Of(mailbox.TargetAddress), CsvCell.Of(user), CsvCell.Of(password) };
                    if (withRoot)
                    {
                        row.Add(CsvCell.Of(mailbox.UserRoot));
                    }

                    rows.Add(row);
                }

                return new CsvDocument(withRoot ? ["EmailAddress", "UserName", "Password", "UserRoot"] : ["EmailAddress", "UserName", "Password"], rows);
            }

            default:
                return null;
        }
    }

    /// <summary>Names Exchange accepts: letters, digits, '.', '_' and '-', at most 64 characters (long ones end in a short hash, so they stay unique).</summary>
    public static string LimitName(string name)
    {
        var clean = UnsafeNameCharacters().Replace(name, "-");
        if (clean.Length <= MaxNameLength)
        {
            return clean;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return clean[..(MaxNameLength - hash.Length - 1)].TrimEnd('-') + "-" + hash;
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex UnsafeNameCharacters();
}

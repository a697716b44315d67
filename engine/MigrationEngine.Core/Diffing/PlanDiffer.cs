using System.Globalization;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Diffing;

/// <summary>
/// Compares two validated plans by meaning, not by text: reordering keys, reformatting or moving a mailbox from the plan
/// into a CSV is no change; a mailbox moving between sets, a new target address, a changed filter is. Pure: no I/O.
/// </summary>
public static class PlanDiffer
{
    public static PlanDiff Compare(PlanModel before, PlanModel after, string? oldDisplay = null, string? newDisplay = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<PlanChange>();
        ComparePlan(before, after, changes);
        CompareEndpoints("source", before, after, before.Sources, after.Sources, changes);
        CompareEndpoints("target", before, after, before.Targets, after.Targets, changes);
        CompareMailboxSets(before, after, changes);
        CompareMailboxes(before, after, changes);
        CompareMigrations(before, after, changes);
        CompareReports(before, after, changes);
        return new PlanDiff(oldDisplay ?? before.PlanFile, newDisplay ?? after.PlanFile, after.Name, changes);
    }

    /// <summary>A plan with nothing in it, to diff a plan that did not exist in the old revision.</summary>
    public static PlanModel Empty(string name, string planFile) => new() { Name = name, PlanFile = planFile, ContentHash = string.Empty };

    private static void ComparePlan(PlanModel before, PlanModel after, List<PlanChange> changes)
    {
        Field(changes, "plan", after.Name, "name", before.Name, after.Name);
        Field(changes, "plan", after.Name, "description", before.Description, after.Description);
        Field(changes, "plan", after.Name, "labels", Dictionary(before.Labels), Dictionary(after.Labels));
        Field(changes, "plan", after.Name, "options.allowPlaintextSecrets", Bool(before.AllowPlaintextSecrets), Bool(after.AllowPlaintextSecrets));
    }

    private static void CompareEndpoints(string category, PlanModel beforePlan, PlanModel afterPlan,
        IReadOnlyDictionary<string, EndpointDefinition> before, IReadOnlyDictionary<string, EndpointDefinition> after, List<PlanChange> changes)
    {
        foreach (var name in Keys(before.Keys, after.Keys))
        {
            var old = before.GetValueOrDefault(name);
            var current = after.GetValueOrDefault(name);
            if (old is null)
            {
                changes.Add(new PlanChange(category, name, PlanChangeKind.Added, After: current!.Type.Yaml()));
                continue;
            }

            if (current is null)
            {
                changes.Add(new PlanChange(category, name, PlanChangeKind.Removed, Before: old.Type.Yaml()));
                continue;
            }

            var oldFields = EndpointFields(old, beforePlan.PlanDirectory);
            var newFields = EndpointFields(current, afterPlan.PlanDirectory);
            foreach (var field in Keys(oldFields.Keys, newFields.Keys))
            {
                CompareSetting(changes, category, name, field, oldFields.GetValueOrDefault(field), newFields.GetValueOrDefault(field));
            }
        }
    }

    private static void CompareMailboxSets(PlanModel before, PlanModel after, List<PlanChange> changes)
    {
        foreach (var name in Keys(before.MailboxSets.Keys, after.MailboxSets.Keys))
        {
            var old = before.MailboxSets.GetValueOrDefault(name);
            var current = after.MailboxSets.GetValueOrDefault(name);
            if (old is null || current is null)
            {
                var set = (old ?? current)!;
                var count = string.Create(CultureInfo.InvariantCulture, $"{set.Mailboxes.Count} mailbox(es)");
                changes.Add(old is null
                    ? new PlanChange("mailboxSet", name, PlanChangeKind.Added, After: count)
                    : new PlanChange("mailboxSet", name, PlanChangeKind.Removed, Before: count));
                continue;
            }

            Field(changes, "mailboxSet", name, "csv", RelativePath(old.CsvFile, before.PlanDirectory), RelativePath(current.CsvFile, after.PlanDirectory));
        }
    }

    private static void CompareMailboxes(PlanModel before, PlanModel after, List<PlanChange> changes)
    {
        var oldMailboxes = MailboxIndex(before);
        var newMailboxes = MailboxIndex(after);
        foreach (var source in Keys(oldMailboxes.Keys, newMailboxes.Keys, StringComparer.OrdinalIgnoreCase))
        {
            var old = oldMailboxes.GetValueOrDefault(source);
            var current = newMailboxes.GetValueOrDefault(source);
            if (old is null)
            {
                changes.Add(new PlanChange("mailbox", current!.Entry.SourceAddress, PlanChangeKind.Added, After: current.Describe()));
                continue;
            }

            if (current is null)
            {
                changes.Add(new PlanChange("mailbox", old.Entry.SourceAddress, PlanChangeKind.Removed, Before: old.Describe()) { OldTarget = old.Entry.TargetAddress });
                continue;
            }

            var subject = current.Entry.SourceAddress;
            if (!string.Equals(old.Entry.TargetAddress.Trim(), current.Entry.TargetAddress.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                changes.Add(new PlanChange("mailbox", subject, PlanChangeKind.Retargeted, "target", old.Entry.TargetAddress, current.Entry.TargetAddress) { OldTarget = old.Entry.TargetAddress });
            }

            if (!old.Sets.SequenceEqual(current.Sets, StringComparer.Ordinal))
            {
                changes.Add(new PlanChange("mailbox", subject, PlanChangeKind.Moved, "mailboxSets", List(old.Sets), List(current.Sets)) { OldTarget = old.Entry.TargetAddress });
            }

            if (!old.Migrations.SequenceEqual(current.Migrations, StringComparer.Ordinal))
            {
                changes.Add(new PlanChange("mailbox", subject, PlanChangeKind.Moved, "migrations", List(old.Migrations), List(current.Migrations)) { OldTarget = old.Entry.TargetAddress });
            }

            Field(changes, "mailbox", subject, "username", old.Entry.Username, current.Entry.Username);
            CompareSetting(changes, "mailbox", subject, "password", Secret(old.Entry.Password), Secret(current.Entry.Password));
            Field(changes, "mailbox", subject, "userRoot", old.Entry.UserRoot, current.Entry.UserRoot);
            Field(changes, "mailbox", subject, "forceChangePassword", Bool(old.Entry.ForceChangePassword), Bool(current.Entry.ForceChangePassword));
        }
    }

    private static void CompareMigrations(PlanModel before, PlanModel after, List<PlanChange> changes)
    {
        var oldMigrations = before.Migrations.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var newMigrations = after.Migrations.ToDictionary(m => m.Name, StringComparer.Ordinal);
        foreach (var name in Keys(oldMigrations.Keys, newMigrations.Keys))
        {
            var old = oldMigrations.GetValueOrDefault(name);
            var current = newMigrations.GetValueOrDefault(name);
            if (old is null)
            {
                changes.Add(new PlanChange("migration", name, PlanChangeKind.Added, After: $"{current!.Type.Yaml()} {current.From} -> {current.To}"));
                continue;
            }

            if (current is null)
            {
                changes.Add(new PlanChange("migration", name, PlanChangeKind.Removed, Before: $"{old.Type.Yaml()} {old.From} -> {old.To}"));
                continue;
            }

            var oldFields = MigrationFields(old);
            var newFields = MigrationFields(current);
            foreach (var field in Keys(oldFields.Keys, newFields.Keys))
            {
                Field(changes, "migration", name, field, oldFields.GetValueOrDefault(field), newFields.GetValueOrDefault(field));
            }
        }
    }

    private static void CompareReports(PlanModel before, PlanModel after, List<PlanChange> changes)
    {
        var oldReports = before.Reports.GroupBy(r => r.Output, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Template, StringComparer.Ordinal);
        var newReports = after.Reports.GroupBy(r => r.Output, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Template, StringComparer.Ordinal);
        foreach (var output in Keys(oldReports.Keys, newReports.Keys))
        {
            var old = oldReports.GetValueOrDefault(output);
            var current = newReports.GetValueOrDefault(output);
            if (old is null)
            {
                changes.Add(new PlanChange("report", output, PlanChangeKind.Added, After: current));
            }
            else if (current is null)
            {
                changes.Add(new PlanChange("report", output, PlanChangeKind.Removed, Before: old));
            }
            else
            {
                Field(changes, "report", output, "template", old, current);
            }
        }
    }

    /// <summary>Every setting of an endpoint as display text; secrets as their safe display, paths relative to the plan.</summary>
    private static SortedDictionary<string, Setting> EndpointFields(EndpointDefinition endpoint, string planDirectory)
    {
        var fields = new SortedDictionary<string, Setting>(StringComparer.Ordinal);
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                fields[name] = new Setting(value, null);
            }
        }

        void AddSecret(string name, SecretReference? secret)
        {
            if (secret is not null)
            {
                fields[name] = Secret(secret)!;
            }
        }

        Add("type", endpoint.Type.Yaml());
        Add("host", endpoint.Host);
        Add("port", endpoint.Port?.ToString(CultureInfo.InvariantCulture));
        Add("tls", endpoint.Tls?.Yaml());
        Add("allowInsecure", endpoint.AllowInsecure ? "true" : null);
        Add("caFile", RelativePath(endpoint.CaFile, planDirectory));
        Add("maxConnections", endpoint.MaxConnections?.ToString(CultureInfo.InvariantCulture));
        Add("preset", endpoint.Preset?.Yaml());
        if (endpoint.Auth is { } auth)
        {
            Add("auth.mechanism", auth.Mechanism.Yaml());
            Add("auth.username", auth.Username);
            AddSecret("auth.password", auth.Password);
            AddSecret("auth.accessToken", auth.AccessToken);
            Add("auth.tenantId", auth.TenantId);
            Add("auth.clientId", auth.ClientId);
            AddSecret("auth.clientSecret", auth.ClientSecret);
            Add("auth.authorityHost", auth.AuthorityHost);
            AddSecret("auth.keyFile", auth.KeyFile);
            Add("auth.scope", auth.Scope);
        }

        Add("tenantId", endpoint.TenantId);
        Add("clientId", endpoint.ClientId);
        AddSecret("clientSecret", endpoint.ClientSecret);
        AddSecret("certificate", endpoint.Certificate);
        AddSecret("certificatePassword", endpoint.CertificatePassword);
        Add("cloud", endpoint.Cloud?.Yaml());
        Add("endpoint", endpoint.Endpoint);
        Add("authorityHost", endpoint.AuthorityHost);
        Add("importMode", endpoint.ImportMode?.Yaml());
        if (endpoint.Provision is { } provision)
        {
            Add("provision.createUsers", Bool(provision.CreateUsers));
            Add("provision.usageLocation", provision.UsageLocation);
            Add("provision.licenses", provision.Licenses.Count == 0 ? null : List(provision.Licenses));
            Add("provision.passwordFile", RelativePath(provision.PasswordFile, planDirectory));
        }

        Add("version", endpoint.Version);
        Add("server", endpoint.Server);
        if (endpoint.Credentials is { } credentials)
        {
            Add("credentials.username", credentials.Username);
            AddSecret("credentials.password", credentials.Password);
        }

        Add("path", RelativePath(endpoint.Path, planDirectory));
        Add("layout", endpoint.Layout?.Yaml());
        Add("engine", endpoint.Engine?.Yaml());
        return fields;
    }

    private static SortedDictionary<string, string> MigrationFields(MigrationDefinition migration)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["type"] = migration.Type.Yaml(),
            ["from"] = migration.From,
            ["to"] = migration.To,
            ["mailboxSets"] = List(migration.MailboxSets),
            ["dependsOn"] = List(migration.DependsOn),
            ["items"] = List(migration.Items.Select(Execution.ItemCapabilities.Name).ToList()),
            ["folders.include"] = List(migration.Folders.Include),
            ["folders.exclude"] = List(migration.Folders.Exclude),
            ["folders.map"] = Dictionary(migration.Folders.Map),
            ["filters.since"] = Time(migration.Filters.Since) ?? "(none)",
            ["filters.before"] = Time(migration.Filters.Before) ?? "(none)",
            ["filters.maxMessageSize"] = migration.Filters.MaxMessageSize?.ToString(CultureInfo.InvariantCulture) ?? "(none)",
            ["filters.includeDeleted"] = Bool(migration.Filters.IncludeDeleted),
            ["concurrency.mailboxes"] = migration.Concurrency.Mailboxes.ToString(CultureInfo.InvariantCulture),
            ["concurrency.connectionsPerMailbox"] = migration.Concurrency.ConnectionsPerMailbox.ToString(CultureInfo.InvariantCulture),
            ["passes"] = migration.Passes.ToString(CultureInfo.InvariantCulture),
            ["engine"] = migration.Engine.Yaml(),
            ["labelCopies"] = migration.LabelCopies.Yaml(),
            ["gmail.labelPriority"] = List(migration.Gmail.LabelPriority),
            ["gmail.important"] = migration.Gmail.Important.Yaml(),
            ["syncFlags"] = Bool(migration.SyncFlags),
            ["badItemLimit"] = migration.BadItemLimit?.ToString(CultureInfo.InvariantCulture) ?? "(none)",
            ["complete"] = Bool(migration.Complete),
            ["startAfter"] = Time(migration.StartAfter) ?? "(none)",
            ["completeAfter"] = Time(migration.CompleteAfter) ?? "(none)",
            ["notificationEmails"] = List(migration.NotificationEmails),
            ["targetDeliveryDomain"] = migration.TargetDeliveryDomain ?? "(none)",
        };
        return fields;
    }

    private static Dictionary<string, MailboxPlacement> MailboxIndex(PlanModel plan)
    {
        var index = new Dictionary<string, MailboxPlacement>(StringComparer.OrdinalIgnoreCase);
        foreach (var set in plan.MailboxSets.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            foreach (var mailbox in set.Mailboxes)
            {
                var key = mailbox.SourceAddress.Trim();
                if (!index.TryGetValue(key, out var placement))
                {
                    placement = new MailboxPlacement(mailbox);
                    index[key] = placement;
                }

                placement.Sets.Add(set.Name);
            }
        }

        foreach (var migration in plan.Migrations)
        {
            foreach (var mailbox in PlanCompiler.MailboxesOf(plan, migration))
            {
                if (index.TryGetValue(mailbox.SourceAddress.Trim(), out var placement))
                {
                    placement.Migrations.Add(migration.Name);
                }
            }
        }

        foreach (var placement in index.Values)
        {
            placement.Sets.Sort(StringComparer.Ordinal);
            placement.Migrations.Sort(StringComparer.Ordinal);
        }

        return index;
    }

    private static void Field(List<PlanChange> changes, string category, string subject, string field, string? before, string? after)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal))
        {
            changes.Add(new PlanChange(category, subject, PlanChangeKind.Changed, field, before ?? "(none)", after ?? "(none)"));
        }
    }

    private static void CompareSetting(List<PlanChange> changes, string category, string subject, string field, Setting? before, Setting? after)
    {
        var same = before?.Secret is not null || after?.Secret is not null
            ? Equals(before?.Secret, after?.Secret)
            : string.Equals(before?.Display, after?.Display, StringComparison.Ordinal);
        if (!same)
        {
            // Two different literals both display as <literal secret>: the row still says "changed", never what to.
            changes.Add(new PlanChange(category, subject, PlanChangeKind.Changed, field, before?.Display ?? "(none)", after?.Display ?? "(none)"));
        }
    }

    private static Setting? Secret(SecretReference? secret) => secret is null ? null : new Setting(secret.Display, secret);

    private static IEnumerable<string> Keys(IEnumerable<string> before, IEnumerable<string> after, StringComparer? comparer = null) =>
        before.Union(after, comparer ?? StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase);

    private static string List(IEnumerable<string> values)
    {
        var text = string.Join(", ", values);
        return text.Length == 0 ? "(none)" : text;
    }

    private static string Dictionary(IReadOnlyDictionary<string, string> values) =>
        values.Count == 0 ? "(none)" : string.Join(", ", values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static string Bool(bool value) => value ? "true" : "false";

    private static string? Bool(bool? value) => value is null ? null : Bool(value.Value);

    private static string? Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Paths are absolute in the model; two checkouts of the same plan must compare equal, so paths under the plan's folder become relative.</summary>
    private static string? RelativePath(string? path, string planDirectory)
    {
        if (path is null)
        {
            return null;
        }

        var relative = Path.GetRelativePath(planDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) && Path.IsPathRooted(path) ? path : relative.Replace('\\', '/');
    }

    private sealed record Setting(string Display, SecretReference? Secret);

    private sealed class MailboxPlacement(MailboxEntry entry)
    {
        public MailboxEntry Entry { get; } = entry;

        public List<string> Sets { get; } = [];

        public List<string> Migrations { get; } = [];

        public string Describe() => $"target {Entry.TargetAddress}; sets {List(Sets)}; migrations {List(Migrations)}";
    }
}

using System.Globalization;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;
using Newtonsoft.Json.Linq;

namespace MigrationEngine.Core.Validation;

/// <summary>What the semantic pass produced: the model (complete only when there are no errors) and the CSVs it read.</summary>
public sealed record SemanticResult(PlanModel Plan, IReadOnlyList<CsvMailboxFile> CsvFiles);

/// <summary>
/// Cross-reference and Microsoft-rule checks on a schema-shaped plan tree, building the <see cref="PlanModel"/> as it goes.
/// Written defensively: it also runs when the schema found errors, and then only checks what has the expected shape.
/// Every check is linear (dictionaries keyed by name or address), so 10,000 mailboxes cost milliseconds.
/// </summary>
public sealed partial class SemanticValidator
{
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

    private static readonly Dictionary<MigrationType, string[]> CsvColumnsByMigration = new()
    {
        [MigrationType.Imap] = ["EmailAddress", "UserName", "Password"],
        [MigrationType.Staged] = ["EmailAddress", "Password", "ForceChangePassword"],
        [MigrationType.Hybrid] = ["EmailAddress"],
        [MigrationType.Cutover] = ["EmailAddress"],
        [MigrationType.Gworkspace] = ["EmailAddress"],
        [MigrationType.Pst] = ["EmailAddress"],
        [MigrationType.Import] = ["EmailAddress"],
    };

    private static readonly HashSet<EndpointType> KnownSourceTypes =
    [
        EndpointType.Imap, EndpointType.Exchange, EndpointType.Gworkspace, EndpointType.Mbox, EndpointType.Maildir, EndpointType.Eml,
        EndpointType.Pst, EndpointType.IcsVcf, EndpointType.Dav,
    ];

    private static readonly HashSet<EndpointType> KnownTargetTypes =
        [EndpointType.Graph, EndpointType.Imap, EndpointType.Maildir, EndpointType.IcsVcf, EndpointType.Dav];

    private const long DefaultExchangeOnlineMessageLimit = 35L * 1024 * 1024;
    private const long MaxExchangeOnlineMessageLimit = 150L * 1024 * 1024;
    private const int MaxImapCsvRows = 50_000;
    private const int MaxCutoverMailboxes = 2_000;
    private const int RecommendedCutoverMailboxes = 150;

    private readonly string _file;
    private readonly string _planFullPath;
    private readonly string _planDirectory;
    private readonly string _displayDirectory;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, (YamlTreeMapping Node, EndpointDefinition Definition)> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (YamlTreeMapping Node, EndpointDefinition Definition)> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SetState> _sets = new(StringComparer.Ordinal);
    private readonly List<CsvMailboxFile> _csvFiles = [];
    private bool _allowPlaintext;

    private SemanticValidator(string file, string planFullPath, string displayDirectory, DiagnosticBag diagnostics)
    {
        _file = file;
        _planFullPath = planFullPath;
        _planDirectory = Path.GetDirectoryName(planFullPath) ?? Directory.GetCurrentDirectory();
        _displayDirectory = displayDirectory;
        _diagnostics = diagnostics;
    }

    /// <param name="root">The plan's root mapping.</param>
    /// <param name="file">The plan's display path.</param>
    /// <param name="planFullPath">Absolute path of the plan: relative paths resolve against its folder.</param>
    /// <param name="diagnostics">Receives every finding.</param>
    public static SemanticResult Analyze(YamlTreeMapping root, string file, string planFullPath, DiagnosticBag diagnostics)
    {
        var displayDirectory = Path.GetDirectoryName(file) ?? "";
        var validator = new SemanticValidator(file, planFullPath, displayDirectory, diagnostics);
        return validator.Run(root);
    }

    private sealed class SetState(string name, YamlTreeScalar key, YamlTreeMapping? node)
    {
        public string Name { get; } = name;
        public YamlTreeScalar Key { get; } = key;
        public YamlTreeMapping? Node { get; } = node;
        public CsvMailboxFile? Csv { get; set; }
        public string? CsvFullPath { get; set; }
        public List<MailboxEntry> Entries { get; } = [];
        public HashSet<MigrationType> UsedByTypes { get; } = [];
        public bool UsedByMicrosoftImap { get; set; }
    }

    private sealed record MigrationState(MigrationDefinition Definition, YamlTreeMapping Node, List<(string Name, YamlTreeNode Node)> DependsOn);

    private SemanticResult Run(YamlTreeMapping root)
    {
        var spec = root.GetMapping("spec");
        var options = spec?.GetMapping("options");
        var allowEntry = options?.FindEntry("allowPlaintextSecrets");
        _allowPlaintext = allowEntry?.Value is YamlTreeScalar allow && YamlJson.ScalarValue(allow).Type == JTokenType.Boolean && (bool)YamlJson.ScalarValue(allow);
        if (_allowPlaintext)
        {
            _diagnostics.Add(DiagnosticCatalog.PlaintextSecretsAllowed, Loc(allowEntry!.Key));
        }

        ReadAllowedRoots(options);

        var metadata = root.GetMapping("metadata");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata?.GetMapping("labels") is { } labelNode)
        {
            foreach (var entry in labelNode.Entries)
            {
                if (entry.Value is YamlTreeScalar value)
                {
                    labels[entry.Key.Value] = value.Value;
                }
            }
        }

        ReadEndpoints(spec?.GetMapping("sources"), EndpointRole.Source, _sources);
        ReadEndpoints(spec?.GetMapping("targets"), EndpointRole.Target, _targets);
        ReadMailboxSets(spec?.GetMapping("mailboxSets"));
        var migrations = ReadMigrations(spec?.GetSequence("migrations"));
        BuildCsvEntries();
        CheckMailboxes(migrations);
        CheckCycles(migrations);
        var reports = ReadReports(spec?.GetSequence("reports"));

        var plan = new PlanModel
        {
            Name = metadata?.GetString("name") ?? "",
            Description = metadata?.GetString("description"),
            Labels = labels,
            PlanFile = _planFullPath,
            ContentHash = "",
            Sources = _sources.ToDictionary(p => p.Key, p => p.Value.Definition, StringComparer.Ordinal),
            Targets = _targets.ToDictionary(p => p.Key, p => p.Value.Definition, StringComparer.Ordinal),
            MailboxSets = _sets.Values.ToDictionary(
                s => s.Name,
                s => new MailboxSet { Name = s.Name, Location = Loc(s.Key), CsvFile = s.CsvFullPath, Mailboxes = s.Entries },
                StringComparer.Ordinal),
            Migrations = migrations.Select(m => m.Definition).ToList(),
            Reports = reports,
            AllowPlaintextSecrets = _allowPlaintext,
            AllowedRoots = _allowedRoots,
            AllowSharedTargets = _allowSharedTargets,
        };
        return new SemanticResult(plan, _csvFiles);
    }

    // ----- sources and targets -----

    private void ReadEndpoints(YamlTreeMapping? map, EndpointRole role, Dictionary<string, (YamlTreeMapping, EndpointDefinition)> into)
    {
        if (map is null)
        {
            return;
        }

        foreach (var entry in map.Entries)
        {
            if (entry.Value is not YamlTreeMapping node)
            {
                continue;
            }

            var name = entry.Key.Value;
            // A type the schema refused is Unknown here: the endpoint still exists, so references to it are not reported twice.
            var type = PlanVocabulary.EndpointTypes.Parse(node.GetString("type")) ?? EndpointType.Unknown;
            var path = (role == EndpointRole.Source ? "spec.sources." : "spec.targets.") + name;
            var auth = node.GetMapping("auth");
            var credentials = node.GetMapping("credentials");
            var provision = node.GetMapping("provision");
            var definition = new EndpointDefinition
            {
                Name = name,
                Role = role,
                Type = type,
                Location = Loc(entry.Key),
                Host = node.GetString("host"),
                Port = Int(node, "port"),
                Tls = node.GetString("tls"),
                AllowInsecure = Bool(node, "allowInsecure") ?? false,
                MaxConnections = Int(node, "maxConnections"),
                CaFile = PlanFile(node, "caFile", PlanFileKind.File),
                Preset = PlanVocabulary.Presets.Parse(node.GetString("preset")),
                Timeouts = ReadTimeouts(node.GetMapping("timeouts")),
                Auth = auth is null ? null : new AuthDefinition
                {
                    Mechanism = auth.GetString("mechanism") ?? "password",
                    Username = auth.GetString("username"),
                    Password = Secret(auth, "password", path + ".auth"),
                    AccessToken = Secret(auth, "accessToken", path + ".auth"),
                    TenantId = auth.GetString("tenantId"),
                    ClientId = auth.GetString("clientId"),
                    ClientSecret = Secret(auth, "clientSecret", path + ".auth"),
                    AuthorityHost = auth.GetString("authorityHost"),
                    KeyFile = Secret(auth, "keyFile", path + ".auth"),
                    Scope = auth.GetString("scope"),
                },
                TenantId = node.GetString("tenantId"),
                ClientId = node.GetString("clientId"),
                ClientSecret = Secret(node, "clientSecret", path),
                Certificate = CertificateReference(node, path),
                CertificatePassword = Secret(node, "certificatePassword", path),
                Cloud = node.GetString("cloud"),
                Endpoint = node.GetString("endpoint"),
                AuthorityHost = node.GetString("authorityHost"),
                ImportMode = PlanVocabulary.ImportModes.Parse(node.GetString("importMode")),
                Provision = provision is null ? null : new ProvisionDefinition
                {
                    CreateUsers = Bool(provision, "createUsers") ?? false,
                    UsageLocation = provision.GetString("usageLocation"),
                    Licenses = provision.GetSequence("licenses")?.Items.Select(i => i.Value).OfType<YamlTreeScalar>().Select(s => s.Value).ToList() ?? [],
                    PasswordFile = PlanFile(provision, "passwordFile", PlanFileKind.File),
                },
                Version = node.Get("version") is YamlTreeScalar version ? version.Value : null,
                Server = node.GetString("server"),
                Credentials = credentials is null ? null : new CredentialsDefinition
                {
                    Username = credentials.GetString("username"),
                    Password = Secret(credentials, "password", path + ".credentials"),
                },
                ExchangeEndpoint = ExchangeOnlineRules.ReadEndpoint(node, (mapping, property) => Secret(mapping, property, path)),
                Url = node.GetString("url"),
                Path = PlanFile(node, "path", PlanFileKind.Location),
                Layout = PlanVocabulary.MboxLayouts.Parse(node.GetString("layout")) ?? (type == EndpointType.Mbox ? MboxLayout.Folders : null),
                Engine = PlanVocabulary.PstEngines.Parse(node.GetString("engine")) ?? (type == EndpointType.Pst ? PstEngine.Readpst : null),
                CanonicalSettings = CanonicalJson.Write(node),
            };
            into[name] = (node, definition);
            CheckEndpoint(definition, node, entry.Key, role);
        }
    }

    private SecretReference? CertificateReference(YamlTreeMapping node, string path)
    {
        // A certificate is a reference to key material (usually file:), never a literal: a literal would be the key itself.
        return Secret(node, "certificate", path);
    }

    private void CheckEndpoint(EndpointDefinition definition, YamlTreeMapping node, YamlTreeScalar key, EndpointRole role)
    {
        var known = role == EndpointRole.Source ? KnownSourceTypes : KnownTargetTypes;
        if (!known.Contains(definition.Type))
        {
            return;
        }

        if (definition.Type == EndpointType.Imap)
        {
            if (definition.Host is null && definition.Preset is not (ImapPresetName.Gmail or ImapPresetName.Office365) && node.Get("host") is null)
            {
                _diagnostics.Add(DiagnosticCatalog.MissingProperty, Loc(key), "set host, or preset: gmail or office365 which imply it",
                    "host", $" for {(role == EndpointRole.Source ? "source" : "target")} type imap");
            }

            if (definition.Tls == "none" && !definition.AllowInsecure)
            {
                _diagnostics.Add(DiagnosticCatalog.InsecureTls, Loc(node.FindEntry("tls")!.Value), null, definition.Name);
            }

            if (definition.Auth is { } auth)
            {
                var authNode = node.GetMapping("auth")!;
                if (auth.Mechanism == "clientCredentials")
                {
                    foreach (var required in new[] { "tenantId", "clientId", "clientSecret" })
                    {
                        if (authNode.Get(required) is null)
                        {
                            _diagnostics.Add(DiagnosticCatalog.AuthIncomplete, Loc(authNode), null, auth.Mechanism, definition.Name, required);
                        }
                    }
                }
                else if (auth.Mechanism == "oauth2" && authNode.Get("accessToken") is null && authNode.Get("clientId") is null)
                {
                    _diagnostics.Add(DiagnosticCatalog.AuthIncomplete, Loc(authNode), null, auth.Mechanism, definition.Name, "accessToken or clientId");
                }
                else if (auth.Mechanism == "googleServiceAccount" && authNode.Get("keyFile") is null)
                {
                    _diagnostics.Add(DiagnosticCatalog.AuthIncomplete, Loc(authNode), null, auth.Mechanism, definition.Name, "keyFile");
                }
            }
        }

        if (definition.Type == EndpointType.Dav)
        {
            CheckDavEndpoint(definition, node, key);
        }

        if (definition.Type == EndpointType.Graph && (node.Get("clientSecret") is null) == (node.Get("certificate") is null))
        {
            _diagnostics.Add(DiagnosticCatalog.GraphCredentials, Loc(key), null, definition.Name);
        }

        if (definition.Type == EndpointType.Graph)
        {
            GraphTargetRules.Check(definition, node, key, _diagnostics, Loc);
        }
    }

    // ----- mailbox sets -----

    private void ReadMailboxSets(YamlTreeMapping? map)
    {
        if (map is null)
        {
            return;
        }

        foreach (var entry in map.Entries)
        {
            var node = entry.Value as YamlTreeMapping;
            var set = new SetState(entry.Key.Value, entry.Key, node);
            _sets[set.Name] = set;
            if (node is null)
            {
                continue;
            }

            var csvEntry = node.FindEntry("csv");
            var list = node.GetSequence("mailboxes");
            if ((csvEntry is null) == (node.FindEntry("mailboxes") is null))
            {
                _diagnostics.Add(DiagnosticCatalog.MailboxSetShape, Loc(entry.Key), null, set.Name);
            }

            if (csvEntry?.Value is YamlTreeScalar { IsNull: false } csvPath)
            {
                var display = CombineDisplay(csvPath.Value);
                var fullPath = PlanFile(csvPath, "csv", PlanFileKind.File);
                set.CsvFullPath = fullPath;
                set.Csv = fullPath is null ? null : CsvMailboxFile.Read(fullPath, display, _diagnostics);
                if (set.Csv is null && fullPath is not null && !File.Exists(fullPath))
                {
                    _diagnostics.Add(DiagnosticCatalog.CsvMissing, Loc(csvPath), null, Quote.Cell(display));
                }

                if (set.Csv is not null)
                {
                    _csvFiles.Add(set.Csv);
                }
            }
            else if (list is not null)
            {
                ReadInlineMailboxes(set, list);
            }
        }
    }

    private void ReadInlineMailboxes(SetState set, YamlTreeSequence list)
    {
        var seen = new Dictionary<string, SourceLocation>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (list.Items[i].Value is not YamlTreeMapping item)
            {
                continue;
            }

            var path = $"spec.mailboxSets.{set.Name}.mailboxes[{i.ToString(CultureInfo.InvariantCulture)}]";
            var source = CheckedAddress(item.GetScalar("source"));
            var target = CheckedAddress(item.GetScalar("target"));
            var username = item.GetString("username");
            var entry = new MailboxEntry
            {
                SourceAddress = source ?? "",
                TargetAddress = target ?? "",
                Username = username,
                AdminForm = AdminFormOf(username),
                Password = Secret(item, "password", path),
                UserRoot = item.GetString("userRoot"),
                Location = Loc(item),
            };
            if (source is null || target is null)
            {
                continue;
            }

            var key = source + "\n" + target;
            if (!seen.TryAdd(key, entry.Location))
            {
                _diagnostics.Add(DiagnosticCatalog.DuplicateMailbox, entry.Location, null, target, set.Name, seen[key].ToString());
                continue;
            }

            set.Entries.Add(entry);
        }
    }

    private string? CheckedAddress(YamlTreeScalar? scalar, bool requireEmail = false)
    {
        if (scalar is null || scalar.IsNull)
        {
            return null;
        }

        var address = scalar.Value.Trim();
        if (address.Length == 0 || YamlJson.ScalarValue(scalar).Type != JTokenType.String)
        {
            // Empty or not a string: the schema already reports it.
            return null;
        }

        // IMAP servers and file layouts also name mailboxes by plain logins ("jdoe"); Exchange and Graph need
        // addresses, which CheckMailboxes enforces where a migration uses them.
        if (requireEmail ? !ValueParsers.IsValidEmail(address) : !ValueParsers.IsValidMailboxName(address))
        {
            _diagnostics.Add(DiagnosticCatalog.InvalidEmail, Loc(scalar), null, Quote.Cell(address));
            return null;
        }

        return address;
    }

    internal static AdminCredentialForm AdminFormOf(string? username)
    {
        if (string.IsNullOrEmpty(username))
        {
            return AdminCredentialForm.None;
        }

        // Microsoft's IMAP migration CSV: "Domain/Admin/User" (Exchange admin) and "user*admin" (Dovecot master user).
        var slashes = username.Count(c => c == '/');
        if (slashes == 2 && !username.StartsWith('/') && !username.EndsWith('/') && !username.Contains("//", StringComparison.Ordinal))
        {
            return AdminCredentialForm.ExchangeAdmin;
        }

        var star = username.IndexOf('*', StringComparison.Ordinal);
        if (star > 0 && star < username.Length - 1 && star == username.LastIndexOf('*'))
        {
            return AdminCredentialForm.MasterUser;
        }

        return AdminCredentialForm.None;
    }

    private void BuildCsvEntries()
    {
        foreach (var set in _sets.Values)
        {
            if (set.Csv is not { } csv)
            {
                continue;
            }

            var headerOk = true;
            // Ordered by the plan's word, as the messages have always come.
            foreach (var type in set.UsedByTypes.OrderBy(t => t.Yaml(), StringComparer.Ordinal))
            {
                var required = CsvColumnsByMigration[type];
                var missing = required.Where(c => !csv.HasColumn(c)).ToList();
                if (missing.Count > 0)
                {
                    headerOk = false;
                    _diagnostics.Add(DiagnosticCatalog.CsvWrongHeader, new SourceLocation(csv.DisplayPath, 1, 1), null,
                        type.Yaml(), string.Join(",", required), string.Join(",", missing));
                }
            }

            if (!headerOk || !csv.HasColumn("EmailAddress"))
            {
                if (set.UsedByTypes.Count == 0 && !csv.HasColumn("EmailAddress"))
                {
                    _diagnostics.Add(DiagnosticCatalog.CsvWrongHeader, new SourceLocation(csv.DisplayPath, 1, 1), null,
                        "any", "EmailAddress", "EmailAddress");
                }

                continue;
            }

            var needsUserName = set.UsedByTypes.Contains(MigrationType.Imap);
            if (set.UsedByMicrosoftImap && csv.Rows.Count > MaxImapCsvRows)
            {
                _diagnostics.Add(DiagnosticCatalog.CsvTooManyRows, new SourceLocation(csv.DisplayPath, csv.Rows[MaxImapCsvRows].Row, 1), null, csv.Rows.Count);
            }

            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var plainPasswords = new CsvPasswordTally();
            foreach (var (row, fields) in csv.Rows)
            {
                if (fields.Length != csv.Header.Count)
                {
                    _diagnostics.Add(DiagnosticCatalog.CsvFieldCount, new SourceLocation(csv.DisplayPath, row, 1), null, fields.Length, csv.Header.Count);
                    continue;
                }

                var rowOk = true;
                var email = csv.Field(fields, "EmailAddress") ?? "";
                var emailColumn = csv.ColumnNumber("EmailAddress");
                if (email.Length == 0)
                {
                    _diagnostics.Add(DiagnosticCatalog.CsvEmptyField, new SourceLocation(csv.DisplayPath, row, emailColumn), null, "EmailAddress");
                    rowOk = false;
                }
                else if (!ValueParsers.IsValidEmail(email))
                {
                    _diagnostics.Add(DiagnosticCatalog.CsvInvalidEmail, new SourceLocation(csv.DisplayPath, row, emailColumn), null, Quote.Cell(email), "EmailAddress");
                    rowOk = false;
                }

                var sourceAddress = csv.Field(fields, "SourceAddress");
                if (!string.IsNullOrEmpty(sourceAddress) && !ValueParsers.IsValidEmail(sourceAddress))
                {
                    _diagnostics.Add(DiagnosticCatalog.CsvInvalidEmail, new SourceLocation(csv.DisplayPath, row, csv.ColumnNumber("SourceAddress")), null, Quote.Cell(sourceAddress), "SourceAddress");
                    rowOk = false;
                }

                var username = csv.Field(fields, "UserName");
                if (needsUserName && string.IsNullOrEmpty(username))
                {
                    _diagnostics.Add(DiagnosticCatalog.CsvEmptyField, new SourceLocation(csv.DisplayPath, row, csv.ColumnNumber("UserName")), null, "UserName");
                    rowOk = false;
                }

                SecretReference? password = null;
                var passwordText = csv.Field(fields, "Password");
                if (!string.IsNullOrEmpty(passwordText))
                {
                    var where = new SourceLocation(csv.DisplayPath, row, csv.ColumnNumber("Password"));
                    password = CsvPassword(passwordText, where, plainPasswords);
                }

                bool? forceChange = null;
                var forceText = csv.Field(fields, "ForceChangePassword");
                if (!string.IsNullOrEmpty(forceText))
                {
                    if (bool.TryParse(forceText, out var parsed))
                    {
                        forceChange = parsed;
                    }
                    else
                    {
                        _diagnostics.Add(DiagnosticCatalog.CsvBadBoolean, new SourceLocation(csv.DisplayPath, row, csv.ColumnNumber("ForceChangePassword")), null, Quote.Cell(forceText));
                        rowOk = false;
                    }
                }

                if (!rowOk)
                {
                    continue;
                }

                var source = string.IsNullOrEmpty(sourceAddress) ? email : sourceAddress;
                var key = source + "\n" + email;
                if (seen.TryGetValue(key, out var firstRow))
                {
                    _diagnostics.Add(DiagnosticCatalog.DuplicateMailbox, new SourceLocation(csv.DisplayPath, row, emailColumn), null,
                        email, set.Name, $"{csv.DisplayPath}({firstRow},{emailColumn})");
                    continue;
                }

                seen[key] = row;
                var userRoot = csv.Field(fields, "UserRoot");
                set.Entries.Add(new MailboxEntry
                {
                    SourceAddress = source,
                    TargetAddress = email,
                    Username = string.IsNullOrEmpty(username) ? null : username,
                    AdminForm = AdminFormOf(username),
                    Password = password,
                    UserRoot = string.IsNullOrEmpty(userRoot) ? null : userRoot,
                    ForceChangePassword = forceChange,
                    Location = new SourceLocation(csv.DisplayPath, row, 1),
                });
            }

            ReportCsvPasswords(set, csv, plainPasswords);
        }
    }

    // ----- migrations -----

    private List<MigrationState> ReadMigrations(YamlTreeSequence? list)
    {
        var result = new List<MigrationState>();
        if (list is null)
        {
            return result;
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            if (item.Value is not YamlTreeMapping node)
            {
                continue;
            }

            var nameNode = node.GetScalar("name");
            var name = nameNode?.Value ?? "";
            if (nameNode is not null && !names.TryAdd(name, nameNode.Line))
            {
                _diagnostics.Add(DiagnosticCatalog.DuplicateMigrationName, Loc(nameNode), null, name, names[name]);
            }

            var type = PlanVocabulary.MigrationTypes.Parse(node.GetString("type")) ?? MigrationType.Unknown;
            var from = node.GetScalar("from");
            var to = node.GetScalar("to");
            var source = from is null ? null : ResolveEndpoint(from, _sources, DiagnosticCatalog.UnknownSource, name);
            var target = to is null ? null : ResolveEndpoint(to, _targets, DiagnosticCatalog.UnknownTarget, name);

            var setNames = new List<string>();
            foreach (var setItem in node.GetSequence("mailboxSets")?.Items ?? [])
            {
                if (setItem.Value is not YamlTreeScalar setName)
                {
                    continue;
                }

                if (setNames.Contains(setName.Value, StringComparer.Ordinal))
                {
                    _diagnostics.Add(DiagnosticCatalog.DuplicateItems, Loc(setName), null, "mailboxSets");
                    continue;
                }

                if (_sets.TryGetValue(setName.Value, out var set))
                {
                    setNames.Add(setName.Value);
                    if (CsvColumnsByMigration.ContainsKey(type))
                    {
                        set.UsedByTypes.Add(type);
                    }

                    // The 50,000-row limit is Microsoft's (IMAP migration batches into Exchange Online), not IMAP to IMAP.
                    set.UsedByMicrosoftImap |= type == MigrationType.Imap && ExchangeOnlineRules.IsExchangeOnline(target);
                }
                else
                {
                    _diagnostics.Add(DiagnosticCatalog.UnknownMailboxSet, Loc(setName), Suggestions.DidYouMean(setName.Value, _sets.Keys), name, setName.Value, "");
                }
            }

            var dependsOn = new List<(string, YamlTreeNode)>();
            foreach (var dependency in node.GetSequence("dependsOn")?.Items ?? [])
            {
                if (dependency.Value is not YamlTreeScalar dependencyName)
                {
                    continue;
                }

                if (dependsOn.Exists(d => d.Item1 == dependencyName.Value))
                {
                    _diagnostics.Add(DiagnosticCatalog.DuplicateItems, Loc(dependencyName), null, "dependsOn");
                    continue;
                }

                dependsOn.Add((dependencyName.Value, dependencyName));
            }

            CheckMigrationTypes(node, name, type, source, target);
            GmailPlanChecks.Check(_diagnostics, _file, node, name, source);
            var filters = ReadFilters(node.GetMapping("filters"), target);
            var (startAfter, completeAfter) = ReadSchedule(node);
            var folders = node.GetMapping("folders");
            CheckFolderPatterns(folders);
            var concurrency = node.GetMapping("concurrency");
            var definition = new MigrationDefinition
            {
                Name = name,
                Type = type,
                From = from?.Value ?? "",
                To = to?.Value ?? "",
                MailboxSets = setNames,
                DependsOn = dependsOn.Select(d => d.Item1).ToList(),
                Items = ItemKindRules.Read(node),
                Folders = new FolderRules
                {
                    Include = Strings(folders?.GetSequence("include")),
                    Exclude = Strings(folders?.GetSequence("exclude")),
                    Map = folders?.GetMapping("map")?.Entries
                        .Where(e => e.Value is YamlTreeScalar)
                        .ToDictionary(e => e.Key.Value, e => ((YamlTreeScalar)e.Value).Value, StringComparer.Ordinal)
                        ?? new Dictionary<string, string>(),
                },
                Filters = filters,
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
                    LabelPriority = Strings(node.GetMapping("gmail")?.GetSequence("labelPriority")),
                    Important = PlanVocabulary.ImportantPlacements.Parse(node.GetMapping("gmail")?.GetString("important")) ?? ImportantPlacement.None,
                },
                SyncFlags = Bool(node, "syncFlags") ?? false,
                BadItemLimit = Int(node, "badItemLimit"),
                Complete = Bool(node, "complete") ?? false,
                StartAfter = startAfter,
                CompleteAfter = completeAfter,
                NotificationEmails = Strings(node.GetSequence("notificationEmails")),
                TargetDeliveryDomain = node.GetString("targetDeliveryDomain"),
                Exchange = ExchangeOnlineRules.ReadMigration(node, Loc),
                Location = Loc(nameNode ?? (YamlTreeNode)node),
                CanonicalSettings = CanonicalJson.Write(node),
            };
            foreach (var email in node.GetSequence("notificationEmails")?.Items ?? [])
            {
                if (email.Value is YamlTreeScalar address)
                {
                    CheckedAddress(address, requireEmail: true);
                }
            }

            ExchangeOnlineRules.Check(node, definition, source, target, _diagnostics, Loc);
            ItemKindRules.Check(node, definition, source, target, _diagnostics, Loc);
            result.Add(new MigrationState(definition, node, dependsOn));
        }

        var migrationNames = result.Select(m => m.Definition.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var migration in result)
        {
            foreach (var (dependency, dependencyNode) in migration.DependsOn)
            {
                if (!migrationNames.Contains(dependency))
                {
                    _diagnostics.Add(DiagnosticCatalog.UnknownDependency, Loc(dependencyNode), Suggestions.DidYouMean(dependency, migrationNames),
                        migration.Definition.Name, dependency, "");
                }
            }
        }

        return result;
    }

    private EndpointDefinition? ResolveEndpoint(YamlTreeScalar reference, Dictionary<string, (YamlTreeMapping Node, EndpointDefinition Definition)> endpoints,
        DiagnosticDescriptor unknown, string migration)
    {
        if (endpoints.TryGetValue(reference.Value, out var found))
        {
            return found.Definition;
        }

        _diagnostics.Add(unknown, Loc(reference), Suggestions.DidYouMean(reference.Value, endpoints.Keys), migration, reference.Value, "");
        return null;
    }

    private void CheckMigrationTypes(YamlTreeMapping node, string name, MigrationType type, EndpointDefinition? source, EndpointDefinition? target)
    {
        if (!SourceTypesByMigration.TryGetValue(type, out var sourceTypes))
        {
            return;
        }

        var typeNode = node.GetScalar("type")!;
        if (source is not null && KnownSourceTypes.Contains(source.Type) && !sourceTypes.Contains(source.Type))
        {
            _diagnostics.Add(DiagnosticCatalog.SourceTypeMismatch, Loc(node.GetScalar("from")!), null, type.Yaml(), source.Name, source.Type.Yaml(),
                string.Join(" or ", sourceTypes.Select(t => t.Yaml())));
        }

        var targetTypes = TargetTypesByMigration[type];
        if (target is not null && KnownTargetTypes.Contains(target.Type) && !targetTypes.Contains(target.Type))
        {
            _diagnostics.Add(DiagnosticCatalog.TargetTypeMismatch, Loc(node.GetScalar("to")!), null, type.Yaml(), target.Name, target.Type.Yaml(),
                string.Join(" or ", targetTypes.Select(t => t.Yaml())));
        }

        var engine = node.GetScalar("engine");
        if (engine is not null && PlanVocabulary.CopyEngines.Parse(engine.Value) == CopyEngine.Exchange && (type != MigrationType.Imap || target is not null && target.Type != EndpointType.Graph))
        {
            _diagnostics.Add(DiagnosticCatalog.EngineExchangeNeedsImap, Loc(engine), null, name);
        }

        if (source?.Type == EndpointType.Exchange && int.TryParse(source.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            var from = Loc(node.GetScalar("from")!);
            if (type == MigrationType.Cutover && version < 2003)
            {
                _diagnostics.Add(DiagnosticCatalog.CutoverSourceVersion, from, "use a hybrid migration for Exchange 2016 and later", name, source.Name, version);
            }
            else if (type == MigrationType.Staged && version is not (2003 or 2007))
            {
                _diagnostics.Add(DiagnosticCatalog.StagedSourceVersion, from, "use cutover or hybrid for Exchange 2010 and later", name, source.Name, version);
            }
            else if (type == MigrationType.Hybrid && version < 2010)
            {
                _diagnostics.Add(DiagnosticCatalog.HybridSourceVersion, from, "use a staged or cutover migration for Exchange 2003/2007", name, source.Name, version);
            }
        }

        // Microsoft's rule for its IMAP migrations: only where Exchange Online is the target (not IMAP to IMAP or Maildir).
        if (type == MigrationType.Imap && ExchangeOnlineRules.IsExchangeOnline(target) && target!.Provision?.CreateUsers != true)
        {
            _diagnostics.Add(DiagnosticCatalog.ImapMovesMailOnly, Loc(typeNode), null, name);
        }
    }

    private MessageFilters ReadFilters(YamlTreeMapping? filters, EndpointDefinition? target)
    {
        if (filters is null)
        {
            return new MessageFilters();
        }

        DateTimeOffset? since = null;
        DateTimeOffset? before = null;
        if (filters.GetScalar("since") is { IsNull: false } sinceNode)
        {
            since = SinceDuration(sinceNode) ?? Date(sinceNode, "filters.since");
        }

        if (filters.GetScalar("before") is { IsNull: false } beforeNode)
        {
            before = Date(beforeNode, "filters.before");
        }

        if (since is not null && before is not null && since >= before)
        {
            _diagnostics.Add(DiagnosticCatalog.SinceAfterBefore, Loc(filters.GetScalar("since")!), null,
                filters.GetScalar("since")!.Value, filters.GetScalar("before")!.Value);
        }

        long? maxSize = null;
        if (filters.GetScalar("maxMessageSize") is { IsNull: false } sizeNode && CheckedSize(sizeNode) is { } size)
        {
            maxSize = size;
            var exchangeOnline = ExchangeOnlineRules.IsExchangeOnline(target);
            if (exchangeOnline && size > MaxExchangeOnlineMessageLimit)
            {
                _diagnostics.Add(DiagnosticCatalog.MessageSizeAboveMaximum, Loc(sizeNode), null, sizeNode.Value, target!.Name);
            }
            else if (exchangeOnline && size > DefaultExchangeOnlineMessageLimit)
            {
                _diagnostics.Add(DiagnosticCatalog.MessageSizeAboveDefault, Loc(sizeNode), null, sizeNode.Value, target!.Name);
            }
        }

        return new MessageFilters
        {
            Since = since,
            Before = before,
            MaxMessageSize = maxSize,
            IncludeDeleted = Bool(filters, "includeDeleted") ?? false,
        };
    }

    private (DateTimeOffset? Start, DateTimeOffset? Complete) ReadSchedule(YamlTreeMapping node)
    {
        var startNode = node.GetScalar("startAfter");
        var completeNode = node.GetScalar("completeAfter");
        var start = startNode is { IsNull: false } ? Date(startNode, "startAfter") : null;
        var complete = completeNode is { IsNull: false } ? Date(completeNode, "completeAfter") : null;
        if (start is not null && complete is not null && complete < start)
        {
            _diagnostics.Add(DiagnosticCatalog.CompleteBeforeStart, Loc(completeNode!), null, completeNode!.Value, startNode!.Value);
        }

        return (start, complete);
    }

    private DateTimeOffset? Date(YamlTreeScalar node, string what)
    {
        if (ValueParsers.TryParseDate(node.Value, out var value))
        {
            return value;
        }

        // Only report what the schema's pattern accepted but the calendar does not (2024-02-30); the schema reports the rest.
        if (node.Value.Length >= 10 && char.IsAsciiDigit(node.Value[0]) && node.Value[4] == '-')
        {
            _diagnostics.Add(DiagnosticCatalog.PatternMismatch, Loc(node), null, node.Value, what, "not a valid calendar date or time");
        }

        return null;
    }

    // ----- mailbox-level rules across sets and migrations -----

    private void CheckMailboxes(List<MigrationState> migrations)
    {
        var feeds = new Dictionary<string, (string Source, MailboxEntry Entry, string Migration)>(StringComparer.OrdinalIgnoreCase);
        var reportedFeeds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var migration in migrations)
        {
            var definition = migration.Definition;
            var inThisMigration = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var count = 0;
            var counted = new List<MailboxEntry>();
            foreach (var setName in definition.MailboxSets.Distinct(StringComparer.Ordinal))
            {
                var set = _sets[setName];
                var targetNeedsAddress = _targets.TryGetValue(definition.To, out var target) && target.Definition.Type == EndpointType.Graph;
                var sourceNeedsAddress = _sources.TryGetValue(definition.From, out var source) && source.Definition.Type == EndpointType.Exchange;
                foreach (var entry in set.Entries)
                {
                    if (targetNeedsAddress && !ValueParsers.IsValidEmail(entry.TargetAddress))
                    {
                        _diagnostics.Add(DiagnosticCatalog.InvalidEmail, entry.Location, $"a graph target needs e-mail addresses (migration '{definition.Name}')", entry.TargetAddress);
                    }

                    if (sourceNeedsAddress && !ValueParsers.IsValidEmail(entry.SourceAddress))
                    {
                        _diagnostics.Add(DiagnosticCatalog.InvalidEmail, entry.Location, $"an Exchange source needs e-mail addresses (migration '{definition.Name}')", entry.SourceAddress);
                    }

                    // Per item kind: the mail of a mailbox from one source and its contacts from an export is two feeds, not a merge.
                    var feedSource = $"{definition.From}:{entry.SourceAddress}";
                    foreach (var kind in definition.Items)
                    {
                        var feedKey = definition.To + "\n" + entry.TargetAddress + "\n" + kind;
                        if (feeds.TryGetValue(feedKey, out var existing))
                        {
                            if (!string.Equals(existing.Source, feedSource, StringComparison.OrdinalIgnoreCase) && reportedFeeds.Add(definition.To + "\n" + entry.TargetAddress))
                            {
                                var hint = existing.Entry.Location == entry.Location
                                    ? $"mailbox set '{setName}' is used by migrations '{existing.Migration}' and '{definition.Name}' with different sources"
                                    : $"first fed at {existing.Entry.Location}";
                                _diagnostics.Add(DiagnosticCatalog.TargetFromTwoSources, entry.Location, hint, entry.TargetAddress, existing.Source, feedSource);
                            }
                        }
                        else
                        {
                            feeds[feedKey] = (feedSource, entry, definition.Name);
                        }
                    }

                    if (inThisMigration.TryGetValue(entry.TargetAddress, out var otherSet))
                    {
                        if (otherSet != setName)
                        {
                            _diagnostics.Add(DiagnosticCatalog.MailboxInTwoSets, entry.Location, null, entry.TargetAddress, otherSet, setName, definition.Name);
                        }

                        continue;
                    }

                    inThisMigration[entry.TargetAddress] = setName;
                    counted.Add(entry);
                    count++;
                }
            }

            var typeNode = migration.Node.GetScalar("type");
            var where = Loc(typeNode ?? (YamlTreeNode)migration.Node);
            if (definition.Type == MigrationType.Cutover && count > MaxCutoverMailboxes)
            {
                _diagnostics.Add(DiagnosticCatalog.CutoverTooManyMailboxes, where, null, definition.Name, count);
            }
            else if (definition.Type == MigrationType.Cutover && count > RecommendedCutoverMailboxes)
            {
                _diagnostics.Add(DiagnosticCatalog.CutoverManyMailboxes, where, null, definition.Name, count);
            }

            ExchangeOnlineRules.CheckMailboxes(definition, counted, where, _diagnostics);
            if (count == 0 && definition.MailboxSets.Count > 0 && !_diagnostics.HasErrors)
            {
                _diagnostics.Add(DiagnosticCatalog.NoMailboxes, where, null, definition.Name);
            }
        }
    }

    private void CheckCycles(List<MigrationState> migrations)
    {
        var byName = new Dictionary<string, MigrationState>(StringComparer.Ordinal);
        foreach (var migration in migrations)
        {
            byName.TryAdd(migration.Definition.Name, migration);
        }

        // Iterative depth-first search with colours: 0 unvisited, 1 on the current path, 2 finished.
        var colour = new Dictionary<string, int>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in migrations)
        {
            if (colour.GetValueOrDefault(start.Definition.Name) != 0)
            {
                continue;
            }

            var path = new List<string>();
            var stack = new Stack<(string Name, int Next)>();
            stack.Push((start.Definition.Name, 0));
            colour[start.Definition.Name] = 1;
            path.Add(start.Definition.Name);
            while (stack.Count > 0)
            {
                var (name, next) = stack.Pop();
                var dependencies = byName[name].DependsOn;
                if (next >= dependencies.Count)
                {
                    colour[name] = 2;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }

                stack.Push((name, next + 1));
                var (dependency, dependencyNode) = dependencies[next];
                if (!byName.ContainsKey(dependency))
                {
                    continue;
                }

                var state = colour.GetValueOrDefault(dependency);
                if (state == 1)
                {
                    var cycle = path.Skip(path.IndexOf(dependency)).Append(dependency).ToList();
                    var identity = string.Join(",", cycle.Skip(1).Order(StringComparer.Ordinal));
                    if (reported.Add(identity))
                    {
                        _diagnostics.Add(DiagnosticCatalog.DependencyCycle, Loc(dependencyNode), null, string.Join(" -> ", cycle));
                    }
                }
                else if (state == 0)
                {
                    colour[dependency] = 1;
                    path.Add(dependency);
                    stack.Push((dependency, 0));
                }
            }
        }
    }

    private List<ReportDefinition> ReadReports(YamlTreeSequence? list)
    {
        var reports = new List<ReportDefinition>();
        foreach (var item in list?.Items ?? [])
        {
            if (item.Value is YamlTreeMapping node && node.GetString("template") is { } template && node.GetString("output") is { } output)
            {
                reports.Add(new ReportDefinition(template, output, Loc(node)));
            }
        }

        return reports;
    }

    // ----- helpers -----

    private SecretReference? Secret(YamlTreeMapping node, string key, string path)
    {
        if (node.Get(key) is not YamlTreeScalar { IsNull: false } scalar)
        {
            return null;
        }

        var where = Loc(scalar);
        return CheckSecretText(scalar.Value, where, () => DiagnosticCatalog.LiteralSecret.Create(where, null, path + "." + key));
    }

    /// <summary>Checks a secret's text; the value itself never reaches a diagnostic.</summary>
    private SecretReference? CheckSecretText(string text, SourceLocation where, Func<Diagnostic> literalError)
    {
        if (SecretReference.LooksLikeReference(text))
        {
            var reference = SecretReference.Parse(text);
            var named = text.StartsWith("env:", StringComparison.Ordinal) ? text[4..] : text[5..];
            if (string.IsNullOrWhiteSpace(named))
            {
                _diagnostics.Add(DiagnosticCatalog.EmptySecretReference, where, null, text);
                return null;
            }

            return CheckSecretFile(reference, text, where) ? reference : null;
        }

        if (!_allowPlaintext)
        {
            _diagnostics.Add(literalError());
            return null;
        }

        return SecretReference.Parse(text);
    }

    internal static int? Int(YamlTreeMapping? node, string key) =>
        node?.Get(key) is YamlTreeScalar scalar && YamlJson.ScalarValue(scalar) is { Type: JTokenType.Integer } value
            && (long)value is >= int.MinValue and <= int.MaxValue
            ? (int)(long)value
            : null;

    internal static bool? Bool(YamlTreeMapping? node, string key) =>
        node?.Get(key) is YamlTreeScalar scalar && YamlJson.ScalarValue(scalar) is { Type: JTokenType.Boolean } value ? (bool)value : null;

    internal static List<string> Strings(YamlTreeSequence? sequence) =>
        sequence?.Items.Select(i => i.Value).OfType<YamlTreeScalar>().Select(s => s.Value).ToList() ?? [];

    private string CombineDisplay(string relative)
    {
        if (Path.IsPathRooted(relative))
        {
            return relative;
        }

        var combined = _displayDirectory.Length == 0 ? relative : _displayDirectory + "/" + relative;
        return combined.Replace('\\', '/');
    }

    private SourceLocation Loc(YamlTreeNode node) => new(_file, node.Line, node.Column);
}

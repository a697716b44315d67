using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Binding;

/// <summary>Sources and targets: one <see cref="EndpointDefinition"/> per entry, whatever its type (fields that do not apply stay null).</summary>
public sealed partial class PlanBinder
{
    private void BindEndpoints(YamlTreeMapping? map, EndpointRole role, Dictionary<string, BoundEndpoint> into)
    {
        foreach (var entry in map?.Entries ?? [])
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
                Tls = Closed(PlanVocabulary.TlsModes, node.GetString("tls"), TlsMode.Unknown),
                AllowInsecure = Bool(node, "allowInsecure") ?? false,
                MaxConnections = Int(node, "maxConnections"),
                CaFile = PlanFile(node, "caFile", PlanFileKind.File),
                Preset = PlanVocabulary.Presets.Parse(node.GetString("preset")),
                Timeouts = BindTimeouts(node.GetMapping("timeouts")),
                Auth = auth is null ? null : new AuthDefinition
                {
                    Mechanism = Closed(PlanVocabulary.AuthMechanisms, auth.GetString("mechanism"), AuthMechanism.Unknown) ?? AuthMechanism.Password,
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
                // A certificate is a reference to key material (usually file:), never a literal: a literal would be the key itself.
                Certificate = Secret(node, "certificate", path),
                CertificatePassword = Secret(node, "certificatePassword", path),
                Cloud = Closed(PlanVocabulary.Clouds, node.GetString("cloud"), MicrosoftCloud.Unknown),
                Endpoint = node.GetString("endpoint"),
                AuthorityHost = node.GetString("authorityHost"),
                ImportMode = PlanVocabulary.ImportModes.Parse(node.GetString("importMode")),
                Provision = provision is null ? null : new ProvisionDefinition
                {
                    CreateUsers = Bool(provision, "createUsers") ?? false,
                    UsageLocation = provision.GetString("usageLocation"),
                    Licenses = Strings(provision.GetSequence("licenses")),
                    PasswordFile = PlanFile(provision, "passwordFile", PlanFileKind.File),
                },
                Version = node.Get("version") is YamlTreeScalar version ? version.Value : null,
                Server = node.GetString("server"),
                Credentials = credentials is null ? null : new CredentialsDefinition
                {
                    Username = credentials.GetString("username"),
                    Password = Secret(credentials, "password", path + ".credentials"),
                },
                ExchangeEndpoint = BindExchangeEndpoint(node, path),
                Url = node.GetString("url"),
                Path = PlanFile(node, "path", PlanFileKind.Location),
                Layout = PlanVocabulary.MboxLayouts.Parse(node.GetString("layout")) ?? (type == EndpointType.Mbox ? MboxLayout.Folders : null),
                Engine = PlanVocabulary.PstEngines.Parse(node.GetString("engine")) ?? (type == EndpointType.Pst ? PstEngine.Readpst : null),
                CanonicalSettings = CanonicalJson.Write(node),
            };
            into[name] = new BoundEndpoint(entry.Key, node, definition);
        }
    }

    /// <summary>
    /// The value a closed vocabulary's word names; null when the plan does not set it, <paramref name="unknown"/> for a word
    /// the schema refused (MIG0104 reports it), so no rule mistakes it for the default.
    /// </summary>
    private static TEnum? Closed<TEnum>(Spellings<TEnum> vocabulary, string? word, TEnum unknown)
        where TEnum : struct, Enum =>
        word is null ? null : vocabulary.Parse(word) ?? unknown;

    /// <summary>A source's <c>migrationEndpoint:</c> (Exchange Online's migration service).</summary>
    private ExchangeEndpointSettings BindExchangeEndpoint(YamlTreeMapping node, string path)
    {
        var endpoint = node.GetMapping("migrationEndpoint");
        return new ExchangeEndpointSettings
        {
            RpcProxyServer = endpoint?.GetString("rpcProxyServer"),
            Autodiscover = Bool(endpoint, "autodiscover") ?? false,
            EmailAddress = endpoint?.GetString("emailAddress") ?? node.GetString("adminEmail"),
            MaxConcurrentMigrations = Int(endpoint, "maxConcurrentMigrations"),
            MaxConcurrentIncrementalSyncs = Int(endpoint, "maxConcurrentIncrementalSyncs"),
            ServiceAccountKey = Secret(node, "serviceAccountKey", path),
        };
    }

    /// <summary>IMAP <c>timeouts</c> (the schema checks their ranges); defaults for what is not set.</summary>
    private static ConnectionTimeouts BindTimeouts(YamlTreeMapping? node)
    {
        var defaults = new ConnectionTimeouts();
        return node is null
            ? defaults
            : new ConnectionTimeouts
            {
                ConnectSeconds = Positive(Int(node, "connect")) ?? defaults.ConnectSeconds,
                GreetingSeconds = Positive(Int(node, "greeting")) ?? defaults.GreetingSeconds,
                TlsSeconds = Positive(Int(node, "tls")) ?? defaults.TlsSeconds,
                CommandSeconds = Positive(Int(node, "command")) ?? defaults.CommandSeconds,
            };

        static int? Positive(int? value) => value is > 0 and <= 3600 ? value : null;
    }
}

using MigrationEngine.Core.Binding;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// Rules of one source or target on its own: IMAP needs a host (or a preset that implies one), plain text needs an explicit
/// opt-in, each auth mechanism its fields; a graph target needs one credential (and its cloud's rules, <see cref="GraphTargetRules"/>);
/// a dav endpoint a usable url and a password login.
/// </summary>
internal static class EndpointRules
{
    private static readonly HashSet<EndpointType> KnownSourceTypes =
    [
        EndpointType.Imap, EndpointType.Exchange, EndpointType.Gworkspace, EndpointType.Mbox, EndpointType.Maildir, EndpointType.Eml,
        EndpointType.Pst, EndpointType.IcsVcf, EndpointType.Dav,
    ];

    private static readonly HashSet<EndpointType> KnownTargetTypes =
        [EndpointType.Graph, EndpointType.Imap, EndpointType.Maildir, EndpointType.IcsVcf, EndpointType.Dav];

    /// <summary>Whether the type is one a source (or a target) may have; another type was refused by the schema.</summary>
    public static bool IsKnown(EndpointDefinition endpoint) =>
        (endpoint.Role == EndpointRole.Source ? KnownSourceTypes : KnownTargetTypes).Contains(endpoint.Type);

    public static void Check(BoundPlan plan, DiagnosticBag diagnostics)
    {
        foreach (var endpoint in plan.Sources.Values.Concat(plan.Targets.Values))
        {
            Check(plan, endpoint, diagnostics);
        }
    }

    private static void Check(BoundPlan plan, BoundEndpoint bound, DiagnosticBag diagnostics)
    {
        var (key, node, definition) = bound;
        if (!IsKnown(definition))
        {
            return;
        }

        if (definition.Type == EndpointType.Imap)
        {
            if (definition.Host is null && definition.Preset is not (ImapPresetName.Gmail or ImapPresetName.Office365) && node.Get("host") is null)
            {
                diagnostics.Add(Diagnose.MissingProperty(plan.Loc(key),
                    "host", $" for {(definition.Role == EndpointRole.Source ? "source" : "target")} type imap",
                    hint: "set host, or preset: gmail or office365 which imply it"));
            }

            if (definition.Tls == TlsMode.None && !definition.AllowInsecure)
            {
                diagnostics.Add(Diagnose.InsecureTls(plan.Loc(node.FindEntry("tls")!.Value), definition.Name));
            }

            if (definition.Auth is { } auth)
            {
                CheckImapAuth(plan, definition, auth, node.GetMapping("auth")!, diagnostics);
            }
        }

        if (definition.Type == EndpointType.Dav)
        {
            CheckDav(plan, bound, diagnostics);
        }

        if (definition.Type == EndpointType.Graph && (node.Get("clientSecret") is null) == (node.Get("certificate") is null))
        {
            diagnostics.Add(Diagnose.GraphCredentials(plan.Loc(key), definition.Name));
        }

        if (definition.Type == EndpointType.Graph)
        {
            GraphTargetRules.Check(definition, node, key, diagnostics, plan.Loc);
        }
    }

    private static void CheckImapAuth(BoundPlan plan, EndpointDefinition definition, AuthDefinition auth, Loading.YamlTreeMapping authNode, DiagnosticBag diagnostics)
    {
        if (auth.Mechanism == AuthMechanism.ClientCredentials)
        {
            foreach (var required in new[] { "tenantId", "clientId", "clientSecret" })
            {
                if (authNode.Get(required) is null)
                {
                    diagnostics.Add(Diagnose.AuthIncomplete(plan.Loc(authNode), auth.Mechanism.Yaml(), definition.Name, required));
                }
            }
        }
        else if (auth.Mechanism == AuthMechanism.OAuth2 && authNode.Get("accessToken") is null && authNode.Get("clientId") is null)
        {
            diagnostics.Add(Diagnose.AuthIncomplete(plan.Loc(authNode), auth.Mechanism.Yaml(), definition.Name, "accessToken or clientId"));
        }
        else if (auth.Mechanism == AuthMechanism.GoogleServiceAccount && authNode.Get("keyFile") is null)
        {
            diagnostics.Add(Diagnose.AuthIncomplete(plan.Loc(authNode), auth.Mechanism.Yaml(), definition.Name, "keyFile"));
        }
    }

    /// <summary>A dav (CardDAV/CalDAV) endpoint: its url (see <see cref="DavEndpointUrl"/>) and its auth.</summary>
    private static void CheckDav(BoundPlan plan, BoundEndpoint bound, DiagnosticBag diagnostics)
    {
        var (key, node, definition) = bound;
        if (DavEndpointUrl.Problem(definition.Url, definition.AllowInsecure, out _) is { } problem)
        {
            var at = node.FindEntry("url") is { } url ? plan.Loc(url.Value) : plan.Loc(key);
            diagnostics.Add(Diagnose.DavSettingInvalid(at, definition.Name, problem, hint: "see docs/dav.md"));
        }

        if (definition.Auth is { Mechanism: not AuthMechanism.Password } && node.GetMapping("auth") is { } authNode)
        {
            // The plan's word as written: a word the schema refused is Unknown in the model.
            diagnostics.Add(Diagnose.DavSettingInvalid(plan.Loc(authNode),
                definition.Name, $"auth.mechanism {authNode.GetString("mechanism")} is not supported; use password",
                hint: "DAV servers take a user name and password (HTTP Basic over TLS)"));
        }
    }
}

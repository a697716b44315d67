using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Validation;

/// <summary>Checks of a dav (CardDAV/CalDAV) endpoint: its url (see <see cref="DavEndpointUrl"/>) and its auth.</summary>
public sealed partial class SemanticValidator
{
    private void CheckDavEndpoint(EndpointDefinition definition, YamlTreeMapping node, YamlTreeScalar key)
    {
        if (DavEndpointUrl.Problem(definition.Url, definition.AllowInsecure, out _) is { } problem)
        {
            var at = node.FindEntry("url") is { } url ? Loc(url.Value) : Loc(key);
            _diagnostics.Add(DiagnosticCatalog.DavSettingInvalid, at, "see docs/dav.md", definition.Name, problem);
        }

        if (definition.Auth is { Mechanism: not "password" } auth)
        {
            _diagnostics.Add(DiagnosticCatalog.DavSettingInvalid, Loc(node.GetMapping("auth")!), "DAV servers take a user name and password (HTTP Basic over TLS)",
                definition.Name, $"auth.mechanism {auth.Mechanism} is not supported; use password");
        }
    }
}

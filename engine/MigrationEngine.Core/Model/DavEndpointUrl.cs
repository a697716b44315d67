namespace MigrationEngine.Core.Model;

/// <summary>
/// The one rule for a dav endpoint's <c>url</c>, asked by validate and by the DAV adapter: an absolute http(s) URL
/// without user name, password, query or fragment (credentials belong in <c>auth</c>, as secret references). Plain http
/// sends the password readable on the wire, so it needs <c>allowInsecure: true</c> as IMAP's <c>tls: none</c> does.
/// </summary>
public static class DavEndpointUrl
{
    /// <summary>Why the URL cannot be used (null when it can); the parsed URL otherwise. The message never quotes user info.</summary>
    public static string? Problem(string? url, bool allowInsecure, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            return "'url' is required: the server's address, e.g. https://dav.example.com/ or https://example.com/.well-known/carddav";
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.Host.Length == 0)
        {
            return "'url' must be an absolute http:// or https:// URL";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "'url' must not carry a user name or password; give them in auth (password as env: or file:)";
        }

        if (parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
        {
            return "'url' must not have a query or fragment";
        }

        if (parsed.Scheme == "http" && !allowInsecure)
        {
            return "an http:// url sends the password in clear text; use https:// or set allowInsecure: true";
        }

        uri = parsed;
        return null;
    }
}

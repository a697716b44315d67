using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

/// <summary>
/// List users with $filter, as strict as the directory documents it (https://learn.microsoft.com/graph/api/user-list,
/// https://learn.microsoft.com/graph/aad-advanced-queries): clauses <c>mail eq</c>, <c>userPrincipalName eq</c> and
/// <c>proxyAddresses/any(x:x eq '...')</c> joined by <c>or</c>; a multi-valued property without any() is refused
/// (Request_UnsupportedQuery); endsWith and clauses joined across properties are advanced queries that need the
/// ConsistencyLevel: eventual header and $count=true; $count without that header is refused.
/// </summary>
public sealed partial class GraphEmulator
{
    /// <summary>List-users requests answered.</summary>
    public int UserQueries { get; private set; }

    private static string? MailOf(EmulatorUser user) => user.MailboxReadyAt is null ? null : user.UserPrincipalName;

    private void MapUserQueries()
    {
        _app.MapGet("/v1.0/users", context =>
        {
            if (!HasRole("User.Read.All", "User.ReadWrite.All"))
            {
                return DirectoryDenied(context);
            }

            var eventual = string.Equals(context.Request.Headers["ConsistencyLevel"].ToString(), "eventual", StringComparison.OrdinalIgnoreCase);
            var count = string.Equals(context.Request.Query["$count"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
            if (count && !eventual)
            {
                return Error(context, 400, "Request_BadRequest", "$count is not currently supported.");
            }

            var clauses = ParseUserFilter(context.Request.Query["$filter"].ToString(), out var refusal);
            if (refusal is not null)
            {
                return Error(context, 400, "Request_UnsupportedQuery", refusal);
            }

            var advanced = clauses.Count > 1 && clauses.Select(c => c.Property).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1
                || clauses.Any(c => c.EndsWith);
            if (advanced && !(eventual && count))
            {
                return Error(context, 400, "Request_UnsupportedQuery",
                    "Unsupported or invalid query filter clause specified for property of resource 'User'. This query needs the ConsistencyLevel: eventual header and $count=true.");
            }

            var top = int.TryParse(context.Request.Query["$top"], out var t) ? Math.Clamp(t, 1, 999) : 100;
            JsonObject result;
            lock (_gate)
            {
                UserQueries++;
                var matches = Users.Values.Where(u => clauses.Count == 0 || clauses.Any(c => c.Matches(u))).ToList();
                result = new JsonObject { ["value"] = new JsonArray([.. matches.Take(top).Select(u => (JsonNode)UserJson(u))]) };
                if (count)
                {
                    result["@odata.count"] = matches.Count;
                }
            }

            return Json(context, 200, result);
        });
    }

    private sealed record UserClause(string Property, string Value, bool EndsWith)
    {
        public bool Matches(EmulatorUser user) => Property.ToUpperInvariant() switch
        {
            "MAIL" => Compare(MailOf(user)),
            "USERPRINCIPALNAME" => Compare(user.UserPrincipalName),
            _ => user.ProxyAddresses.Any(Compare),
        };

        // Directory string comparisons ignore case.
        private bool Compare(string? actual) => actual is not null &&
            (EndsWith ? actual.EndsWith(Value, StringComparison.OrdinalIgnoreCase) : string.Equals(actual, Value, StringComparison.OrdinalIgnoreCase));
    }

    private static List<UserClause> ParseUserFilter(string filter, out string? refusal)
    {
        refusal = null;
        var clauses = new List<UserClause>();
        if (filter.Length == 0)
        {
            return clauses;
        }

        foreach (var part in Regex.Split(filter, @"\s+or\s+", RegexOptions.IgnoreCase))
        {
            if (UserEqClause().Match(part) is { Success: true } eq)
            {
                var property = eq.Groups[1].Value;
                if (string.Equals(property, "proxyAddresses", StringComparison.OrdinalIgnoreCase))
                {
                    refusal = "Unsupported or invalid query filter clause specified for property 'proxyAddresses' of resource 'User'.";
                    return clauses;
                }

                clauses.Add(new UserClause(property, Unquote(eq.Groups[2].Value), false));
            }
            else if (ProxyAnyClause().Match(part) is { Success: true } any && any.Groups[1].Value == any.Groups[2].Value)
            {
                clauses.Add(new UserClause("proxyAddresses", Unquote(any.Groups[3].Value), false));
            }
            else if (EndsWithClause().Match(part) is { Success: true } ends)
            {
                clauses.Add(new UserClause(ends.Groups[1].Value, Unquote(ends.Groups[2].Value), true));
            }
            else
            {
                refusal = $"Invalid filter clause: '{part.Trim()}' is not supported.";
                return clauses;
            }
        }

        return clauses;
    }

    private static string Unquote(string value) => value.Replace("''", "'", StringComparison.Ordinal);

    [GeneratedRegex(@"^\s*(mail|userPrincipalName|proxyAddresses)\s+eq\s+'((?:[^']|'')*)'\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex UserEqClause();

    [GeneratedRegex(@"^\s*proxyAddresses/any\((\w+):\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ProxyAnyClause();

    [GeneratedRegex(@"^\s*endsWith\((mail|userPrincipalName),\s*'((?:[^']|'')*)'\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex EndsWithClause();
}

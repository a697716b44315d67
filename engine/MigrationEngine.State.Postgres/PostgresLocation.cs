using System.Globalization;
using MigrationEngine.Core.State;
using Npgsql;

namespace MigrationEngine.State.Postgres;

/// <summary>
/// Turns what a user writes (<c>postgres://user:pass@host:port/db?sslmode=require</c> or an Npgsql connection string
/// <c>Host=...;Username=...</c>) into a connection string, plus a display form without the password.
/// </summary>
public sealed class PostgresLocation
{
    private PostgresLocation(string connectionString, string display)
    {
        ConnectionString = connectionString;
        Display = display;
    }

    /// <summary>The Npgsql connection string; may contain a password: never print it.</summary>
    internal string ConnectionString { get; }

    /// <summary><c>postgres://user@host:port/db</c>: what logs and messages show.</summary>
    public string Display { get; }

    /// <summary>True for what <see cref="Parse"/> accepts: a postgres:// or postgresql:// URL, or a connection string with a Host key.</summary>
    public static bool IsPostgres(string locationOrPath)
    {
        ArgumentNullException.ThrowIfNull(locationOrPath);
        var text = locationOrPath.Trim();
        return text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || LooksLikeConnectionString(text);
    }

    /// <summary>Parses a URL or a connection string; throws <see cref="StateStoreException"/> (without the password) when it is malformed.</summary>
    public static PostgresLocation Parse(string connectionStringOrUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionStringOrUrl);
        var text = connectionStringOrUrl.Trim();
        var builder = text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            ? FromUrl(text)
            : FromConnectionString(text);

        // The engine names itself to the server: an administrator sees in pg_stat_activity which sessions are ours.
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "migrate";
        }

        var user = string.IsNullOrEmpty(builder.Username) ? string.Empty : Uri.EscapeDataString(builder.Username) + "@";
        var host = string.IsNullOrEmpty(builder.Host) ? "localhost" : builder.Host;
        var display = string.Create(CultureInfo.InvariantCulture, $"postgres://{user}{host}:{builder.Port}/{builder.Database ?? string.Empty}");
        return new PostgresLocation(builder.ConnectionString, display);
    }

    private static bool LooksLikeConnectionString(string text) =>
        text.Contains('=', StringComparison.Ordinal)
        && text.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Any(part => part.TrimStart().StartsWith("host=", StringComparison.OrdinalIgnoreCase) || part.TrimStart().StartsWith("server=", StringComparison.OrdinalIgnoreCase));

    private static NpgsqlConnectionStringBuilder FromConnectionString(string text)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException)
        {
            // The builder's message may quote the offending part, which may be the password: say what is wrong, not where.
            throw new StateStoreException("the PostgreSQL connection string is malformed: write it as Host=...;Port=...;Username=...;Database=... or as postgres://user@host:port/database.");
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new StateStoreException("the PostgreSQL URL is malformed: write it as postgres://user@host:port/database (put the password in PGPASSWORD or ~/.pgpass rather than in the URL).");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
        };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                // libpq's names for the common parameters; anything else is passed to Npgsql as a connection string key.
                switch (key.ToLowerInvariant())
                {
                    case "sslmode":
                        builder.SslMode = Enum.Parse<SslMode>(value.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true);
                        break;
                    case "connect_timeout":
                        builder.Timeout = int.Parse(value, CultureInfo.InvariantCulture);
                        break;
                    case "application_name":
                        builder.ApplicationName = value;
                        break;
                    case "host":
                        builder.Host = value;
                        break;
                    default:
                        builder[key] = value;
                        break;
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or KeyNotFoundException)
            {
                throw new StateStoreException($"the PostgreSQL URL has an unusable parameter '{key}': {ex.GetType().Name switch { nameof(FormatException) => "not a number", _ => "unknown name or value" }}.");
            }
        }

        return builder;
    }
}

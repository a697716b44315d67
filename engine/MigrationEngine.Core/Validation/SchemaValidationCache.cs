using System.Security.Cryptography;

namespace MigrationEngine.Core.Validation;

/// <summary>
/// Remembers plan texts that passed schema validation without a single diagnostic, so that a plan validated once is not
/// validated against the JSON schema again by every later command (plan, apply, status, each delta pass). Loading the
/// schema costs about a tenth of a second, most of a no-op pass. The key is the SHA-256 of the exact plan bytes and of
/// this build of the engine (which embeds the schema), so any change to either misses. A marker is an empty file in
/// the user's cache folder; any failure to read or write it only means validating again.
/// </summary>
internal static class SchemaValidationCache
{
    public static string Key(byte[] planBytes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(typeof(SchemaValidationCache).Assembly.ManifestModule.ModuleVersionId.ToByteArray());
        hash.AppendData(planBytes);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static bool IsKnownValid(string key) => IsKnownValid(key, FindFolder());

    public static void RememberValid(string key) => RememberValid(key, FindFolder());

    internal static bool IsKnownValid(string key, string? folder) => folder is not null && File.Exists(Path.Combine(folder, key));

    internal static void RememberValid(string key, string? folder)
    {
        if (folder is null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(folder);
            using (File.Create(Path.Combine(folder, key)))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Read-only home, full disk: the plan is simply validated again next time.
        }
    }

    /// <summary>
    /// Whether MIGRATE_CACHE_DIR is "off": the one switch for every cache of plan work (this one and the plan tree kept
    /// beside the plan, <see cref="Loading.PlanTreeCache"/>).
    /// </summary>
    internal static bool TurnedOff() =>
        string.Equals(Environment.GetEnvironmentVariable("MIGRATE_CACHE_DIR"), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>MIGRATE_CACHE_DIR (<see cref="TurnedOff">"off"</see> turns the cache off), else $XDG_CACHE_HOME or ~/.cache.</summary>
    internal static string? FindFolder()
    {
        if (TurnedOff())
        {
            return null;
        }

        if (Environment.GetEnvironmentVariable("MIGRATE_CACHE_DIR") is { Length: > 0 } explicitFolder)
        {
            return Path.Combine(explicitFolder, "valid-plans");
        }

        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? Path.Combine(home, ".cache") : null;
        return root is null ? null : Path.Combine(root, "migration-engine", "valid-plans");
    }
}

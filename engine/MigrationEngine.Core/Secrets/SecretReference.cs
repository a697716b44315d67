namespace MigrationEngine.Core.Secrets;

/// <summary>
/// A reference to a secret (<c>env:NAME</c> or <c>file:PATH</c>, or a literal when the plan opts in).
/// The value is only read by <see cref="Resolve"/>; <see cref="ToString"/> never shows a literal.
/// </summary>
public sealed class SecretReference : IEquatable<SecretReference>
{
    private SecretReference(SecretKind kind, string value)
    {
        Kind = kind;
        Value = value;
    }

    public SecretKind Kind { get; }

    /// <summary>The variable name, the file path, or (for literals) the secret itself: do not print.</summary>
    internal string Value { get; }

    /// <summary>What may be shown to a user: the reference itself, or a fingerprint for a literal.</summary>
    public string Display => Kind switch
    {
        SecretKind.Environment => $"env:{Value}",
        SecretKind.File => $"file:{Value}",
        _ => "<literal secret>",
    };

    /// <summary>A stable value for input hashes that changes when the reference changes, never the secret.</summary>
    public string HashIdentity => Kind switch
    {
        SecretKind.Literal => "literal:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Value)))[..16],
        _ => Display,
    };

    /// <summary>A secret file holds a password, token or PFX: 1 MiB is far more than any of them.</summary>
    public const long MaxFileBytes = 1024L * 1024;

    public static bool LooksLikeReference(string text) =>
        text.StartsWith("env:", StringComparison.Ordinal) || text.StartsWith("file:", StringComparison.Ordinal);

    public static SecretReference Parse(string text)
    {
        if (text.StartsWith("env:", StringComparison.Ordinal))
        {
            return new SecretReference(SecretKind.Environment, text[4..]);
        }

        if (text.StartsWith("file:", StringComparison.Ordinal))
        {
            return new SecretReference(SecretKind.File, text[5..]);
        }

        return new SecretReference(SecretKind.Literal, text);
    }

    /// <summary>Reads the secret. <paramref name="baseDirectory"/> anchors relative <c>file:</c> paths (the plan's folder).</summary>
    public string Resolve(string baseDirectory)
    {
        switch (Kind)
        {
            case SecretKind.Environment:
                return Environment.GetEnvironmentVariable(Value)
                    ?? throw new SecretUnavailableException($"environment variable {Value} is not set (secret {Display})");
            case SecretKind.File:
                var path = Path.IsPathRooted(Value) ? Value : Path.Combine(baseDirectory, Value);
                if (!File.Exists(path))
                {
                    throw new SecretUnavailableException($"secret file {path} does not exist (secret {Display})");
                }

                try
                {
                    return Loading.RegularFile.ReadAllText(path, MaxFileBytes).TrimEnd('\r', '\n');
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new SecretUnavailableException($"secret file {path} cannot be used: {(ex is Loading.UnusableFileException ? ex.Message : "it cannot be read")} (secret {Display})");
                }
            default:
                return Value;
        }
    }

    public bool Equals(SecretReference? other) => other is not null && other.Kind == Kind && other.Value == Value;

    public override bool Equals(object? obj) => Equals(obj as SecretReference);

    public override int GetHashCode() => HashCode.Combine(Kind, Value);

    public override string ToString() => Display;
}

namespace MigrationEngine.Core.Secrets;

public enum SecretKind
{
    Environment,
    File,
    Literal,
}

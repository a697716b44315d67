
namespace MigrationEngine.Core.Model;

public sealed record ProvisionDefinition
{
    public bool CreateUsers { get; init; }
    public string? UsageLocation { get; init; }
    public IReadOnlyList<string> Licenses { get; init; } = [];
    /// <summary>Absolute path of the file that receives initial passwords (mode 0600).</summary>
    public string? PasswordFile { get; init; }
}

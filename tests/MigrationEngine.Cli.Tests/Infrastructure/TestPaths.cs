namespace MigrationEngine.Cli.Tests.Infrastructure;

internal static class TestPaths
{
    /// <summary>The built CLI next to the test assembly (the project reference copies it).</summary>
    public static string MigrateDll => Path.Combine(AppContext.BaseDirectory, "migrate.dll");
}

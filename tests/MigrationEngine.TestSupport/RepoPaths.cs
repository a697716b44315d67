using System.Runtime.CompilerServices;

namespace MigrationEngine.TestSupport;

/// <summary>
/// Test data is read from the repository, never from copies beside the test binaries: the repository root is the folder
/// holding MigrationEngine.sln above this source file (builds may put binaries anywhere, --artifacts-path among them), or
/// above the test binaries when the sources are not where they were compiled.
/// </summary>
public static class RepoPaths
{
    /// <summary>The repository root.</summary>
    public static string Root { get; } = FindRoot(SourceDirectory()) ?? FindRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("MigrationEngine.sln not found above " + SourceDirectory() + " or " + AppContext.BaseDirectory);

    /// <summary>The example plans' sample mailboxes and calendars (plans/examples/data).</summary>
    public static string SampleData => Of("plans", "examples", "data");

    /// <summary>A path below the repository root.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? "";

    private static string? FindRoot(string start)
    {
        for (var directory = start.Length == 0 ? null : new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MigrationEngine.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}

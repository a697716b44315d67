using System.Runtime.CompilerServices;

namespace MigrationEngine.Core.Tests.Loading;

internal static class TestPaths
{
    /// <summary>
    /// The repository root: the folder holding MigrationEngine.sln, found by walking up from the test binaries or,
    /// when they are built into a separate artifacts folder, from this source file.
    /// </summary>
    public static string RepoRoot { get; } = FindRepoRoot(AppContext.BaseDirectory) ?? FindRepoRoot(SourceDirectory())
        ?? throw new InvalidOperationException("MigrationEngine.sln not found above " + AppContext.BaseDirectory);

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? "";

    private static string? FindRepoRoot(string start)
    {
        var directory = start.Length == 0 ? null : new DirectoryInfo(start);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MigrationEngine.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName;
    }

    /// <summary>A fresh temporary folder, deleted by the caller.</summary>
    public static string NewTempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "me-lang-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }
}

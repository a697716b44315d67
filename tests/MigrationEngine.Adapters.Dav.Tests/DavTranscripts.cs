using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Dav.Tests;

/// <summary>Answers recorded from real DAV servers, read from the repository (Transcripts/ beside this file).</summary>
internal static class DavTranscripts
{
    public static string Read(string name) => File.ReadAllText(RepoPaths.Of("tests", "MigrationEngine.Adapters.Dav.Tests", "Transcripts", name));
}

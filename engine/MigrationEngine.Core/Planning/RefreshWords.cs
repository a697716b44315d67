
namespace MigrationEngine.Core.Planning;

/// <summary>The words refresh states are written with (plan's JSON output and saved plans).</summary>
public static class RefreshWords
{
    public static string Of(RefreshState state) => state switch
    {
        RefreshState.Refreshed => "refreshed",
        RefreshState.Failed => "failed",
        RefreshState.NeverCopied => "never copied",
        _ => "not refreshed",
    };
}

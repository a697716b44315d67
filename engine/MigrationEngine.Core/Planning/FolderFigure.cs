using System.Globalization;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Planning;

/// <summary>One source folder as the refresh read it: its message count and cursor, where the source gives them.</summary>
public sealed record FolderFigure(
    [property: System.Text.Json.Serialization.JsonPropertyName("path")] string Path,
    [property: System.Text.Json.Serialization.JsonPropertyName("messages")] long? Messages,
    [property: System.Text.Json.Serialization.JsonPropertyName("uidvalidity")] long? UidValidity,
    [property: System.Text.Json.Serialization.JsonPropertyName("uidnext")] long? UidNext,
    [property: System.Text.Json.Serialization.JsonPropertyName("highestmodseq")] ulong? HighestModSeq)
{
    public static FolderFigure Of(SourceFolder folder) =>
        new(folder.Path, folder.MessageCount, folder.Cursor?.UidValidity ?? folder.UidValidity, folder.Cursor?.UidNext, folder.Cursor?.HighestModSeq);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(Messages is { } count ? $"{count} messages" : "count unknown")}{(UidNext is { } next ? $", UIDNEXT {next}" : string.Empty)}{(HighestModSeq is { } modSeq ? $", HIGHESTMODSEQ {modSeq}" : string.Empty)}");
}

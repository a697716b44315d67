using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Core.Inventory;

/// <summary>
/// One JSON shape for a mailbox's inventory: the state keeps it per mailbox, and <c>inventory --output json</c> writes the
/// same objects. Sizes are bytes, dates ISO 8601 UTC; only listing figures, never a subject, an address of a sender or content.
/// </summary>
public static class InventoryJson
{
    public static JsonObject ToJson(MailboxInventory mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        var json = new JsonObject
        {
            ["migration"] = mailbox.Migration,
            ["source"] = mailbox.Source,
            ["target"] = mailbox.Target,
            ["outcome"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(mailbox.Outcome.ToString()),
            ["gmail"] = mailbox.GmailShaped,
            ["recorded_at"] = mailbox.RecordedAt.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
            ["messages"] = mailbox.Messages,
            ["bytes"] = mailbox.Bytes,
            ["failure"] = mailbox.Failure is { } failure ? new JsonObject { ["code"] = failure.Code, ["message"] = failure.Message } : null,
            ["folders"] = new JsonArray(mailbox.Folders.Select(Folder).ToArray<JsonNode?>()),
        };
        if (mailbox.Collections.Count > 0)
        {
            json["collections"] = new JsonArray(mailbox.Collections.Select(c => (JsonNode)new JsonObject
            {
                ["kind"] = Execution.ItemCapabilities.Name(c.Kind),
                ["path"] = c.Path,
                ["items"] = c.Items,
                ["bytes"] = c.Bytes,
                ["bad_items"] = c.BadItems,
            }).ToArray<JsonNode?>());
        }

        return json;
    }

    private static JsonObject Folder(FolderInventory folder)
    {
        var classes = new JsonObject();
        for (var i = 0; i < SizeClasses.Labels.Count; i++)
        {
            classes[SizeClasses.Labels[i]] = folder.SizeBuckets[i];
        }

        return new JsonObject
        {
            ["path"] = folder.Path,
            ["special_use"] = folder.SpecialUse == SpecialUse.None ? null : folder.SpecialUse.ToString().ToLowerInvariant(),
            ["excluded_by"] = folder.ExcludedBy,
            ["messages"] = folder.Messages,
            ["bytes"] = folder.Bytes,
            ["above_max_message_size"] = folder.AboveFilter,
            ["oldest"] = Date(folder.Oldest),
            ["newest"] = Date(folder.Newest),
            ["size_classes"] = classes,
            ["largest"] = new JsonArray(folder.Largest.Select(i => (JsonNode)new JsonObject { ["id"] = i.SourceId, ["size"] = i.Size, ["date"] = Date(i.Date) }).ToArray<JsonNode?>()),
        };
    }

    private static string? Date(DateTimeOffset? date) => date?.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);

    public static MailboxInventory FromJson(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        var failure = node["failure"] as JsonObject;
        return new MailboxInventory
        {
            Migration = (string)node["migration"]!,
            Source = (string)node["source"]!,
            Target = (string)node["target"]!,
            Outcome = Enum.Parse<InventoryOutcome>(((string)node["outcome"]!).Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true),
            GmailShaped = (bool)node["gmail"]!,
            RecordedAt = DateTimeOffset.Parse((string)node["recorded_at"]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            Failure = failure is null ? null : new Diagnostic((string)failure["code"]!, DiagnosticSeverity.Error, string.Empty, 0, 0, (string)failure["message"]!),
            Folders = node["folders"]!.AsArray().Select(f => ReadFolder(f!.AsObject())).ToList(),
            Collections = (node["collections"] as JsonArray ?? []).Select(c => new CollectionInventory(
                Execution.ItemCapabilities.Parse((string)c!["kind"]!) ?? Execution.ItemKind.Contacts, (string)c["path"]!,
                (int)c["items"]!, (long)c["bytes"]!, (int)c["bad_items"]!)).ToList(),
        };
    }

    private static FolderInventory ReadFolder(JsonObject folder)
    {
        var classes = folder["size_classes"]!.AsObject();
        return new FolderInventory
        {
            Path = (string)folder["path"]!,
            SpecialUse = folder["special_use"] is JsonValue use ? Enum.Parse<SpecialUse>((string)use!, ignoreCase: true) : SpecialUse.None,
            ExcludedBy = (string?)folder["excluded_by"],
            Messages = (long)folder["messages"]!,
            Bytes = (long)folder["bytes"]!,
            AboveFilter = (long)folder["above_max_message_size"]!,
            Oldest = ReadDate(folder["oldest"]),
            Newest = ReadDate(folder["newest"]),
            SizeBuckets = SizeClasses.Labels.Select(l => (long?)classes[l] ?? 0).ToArray(),
            Largest = folder["largest"]!.AsArray().Select(i => new LargeItem((string)i!["id"]!, (long)i["size"]!, ReadDate(i["date"]))).ToList(),
        };
    }

    private static DateTimeOffset? ReadDate(JsonNode? node) =>
        node is JsonValue value ? DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;
}

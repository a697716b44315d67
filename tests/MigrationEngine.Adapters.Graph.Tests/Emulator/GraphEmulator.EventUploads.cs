using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace MigrationEngine.Adapters.Graph.Tests.Emulator;

/// <summary>
/// Upload sessions for event attachments (https://learn.microsoft.com/graph/api/attachment-createuploadsession, "The item
/// can be a message or event"; https://learn.microsoft.com/graph/outlook-large-attachments): only for files of 3 MB to
/// 150 MB (smaller ones go in one POST), ranges PUT to the pre-authenticated URL as for messages, the file attached to the
/// event when the last byte arrives.
/// </summary>
public sealed partial class GraphEmulator
{
    private const long MinUploadBytes = 3 * 1024 * 1024;
    private const long MaxUploadBytes = 150L * 1024 * 1024;

    private Answer CreateEventUploadSession(EmulatorUser mailbox, string eventId, JsonNode? body)
    {
        if (!PimOf(mailbox).Events.TryGetValue(eventId, out var stored))
            return PimMissing("event", eventId);
        var item = body?["AttachmentItem"] ?? body?["attachmentItem"];
        if (item?["attachmentType"]?.GetValue<string>() != "file" || item["size"] is null || string.IsNullOrEmpty(item["name"]?.GetValue<string>()))
            return Answer.Fail(400, "ErrorInvalidRequest", "AttachmentItem needs attachmentType file, name and size.");
        var size = item["size"]!.GetValue<long>();
        if (size < MinUploadBytes)
            return Answer.Fail(400, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize", "Attachment size should not be less than 3 MB; post smaller files to the attachments collection.");
        if (size > MaxUploadBytes)
            return Answer.Fail(400, "ErrorAttachmentSizeTooLarge", "The attachment is larger than 150 MB.");
        var session = new UploadSession
        {
            Id = NewId("S"),
            Token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            UserId = mailbox.Id,
            EventId = stored.Id,
            Name = item["name"]!.GetValue<string>(),
            ContentType = item["contentType"]?.GetValue<string>() ?? "application/octet-stream",
            Buffer = new byte[size],
        };
        _uploads[session.Id] = session;
        return new Answer(201, new JsonObject
        {
            ["@odata.context"] = $"{BaseUrl}/$metadata#microsoft.graph.uploadSession",
            ["uploadUrl"] = $"{Root}/upload/users/{mailbox.Id}/sessions/{session.Id}?authtoken={session.Token}",
            ["expirationDateTime"] = DateTimeOffset.UtcNow.AddHours(1).ToString("o", CultureInfo.InvariantCulture),
            ["nextExpectedRanges"] = new JsonArray("0-"),
        });
    }

    private Answer CompleteEventUploadLocked(EmulatorUser mailbox, UploadSession upload, string session)
    {
        _uploads.Remove(session);
        if (!PimOf(mailbox).Events.TryGetValue(upload.EventId!, out var stored))
            return PimMissing("event", upload.EventId!);
        var attachment = new EmulatorAttachment(NewId("A"), upload.Name, upload.ContentType, upload.Buffer, false, true);
        stored.Attachments.Add(attachment);
        return new Answer(201, Location: $"{BaseUrl}/users/{mailbox.Id}/events/{stored.Id}/attachments/{attachment.Id}");
    }
}

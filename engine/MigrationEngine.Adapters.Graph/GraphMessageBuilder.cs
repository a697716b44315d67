using System.Globalization;
using Microsoft.Graph.Models;
using MigrationEngine.Core.Execution;
using MimeKit;

namespace MigrationEngine.Adapters.Graph;

/// <summary>An attachment too large to travel inside the create request: posted or uploaded after the message exists.</summary>
internal sealed record PendingAttachment(string Name, string ContentType, byte[] Content, bool IsInline, string? ContentId);

/// <summary>
/// json mode: converts a MIME message to a Graph <see cref="Message"/> created directly as a non-draft item.
/// PR_MESSAGE_FLAGS (0x0E07) set at creation decides draft state (MSGFLAG_UNSENT 0x8 absent = not a draft,
/// MSGFLAG_READ 0x1 = read); PR_MESSAGE_DELIVERY_TIME (0x0E06) and PR_CLIENT_SUBMIT_TIME (0x0039) keep the dates.
/// What this loses compared to importMime is listed in docs/graph.md.
/// </summary>
internal static class GraphMessageBuilder
{
    /// <summary>Named property carrying the source's dedup key, so that re-runs without state recognise our copies.</summary>
    public const string DedupPropertyId = GraphExtendedProperties.DedupKey;

    private const int MaxCustomHeaders = 5;

    /// <summary>Request size kept below Graph's 4 MB per request limit, with room for JSON and headers.</summary>
    public const int MaxCreateRequestBytes = 3_900_000;

    public static (Message Message, List<PendingAttachment> Pending) Build(MimeMessage mime, SourceMessage summary, int inlineAttachmentLimit)
    {
        var seen = summary.Flags.HasFlag(MailFlags.Seen);
        var received = summary.InternalDate ?? mime.Date;
        var sent = mime.Date == DateTimeOffset.MinValue ? received : mime.Date;
        var message = new Message
        {
            Subject = mime.Subject ?? string.Empty,
            IsRead = seen,
            Importance = mime.Importance switch
            {
                MessageImportance.High => Importance.High,
                MessageImportance.Low => Importance.Low,
                _ => Importance.Normal,
            },
            ToRecipients = Recipients(mime.To),
            CcRecipients = Recipients(mime.Cc),
            BccRecipients = Recipients(mime.Bcc),
            ReplyTo = Recipients(mime.ReplyTo),
            SingleValueExtendedProperties =
            [
                new SingleValueLegacyExtendedProperty { Id = "Integer 0x0E07", Value = seen ? "1" : "0" },
                new SingleValueLegacyExtendedProperty { Id = "SystemTime 0x0E06", Value = Time(received) },
                new SingleValueLegacyExtendedProperty { Id = "SystemTime 0x0039", Value = Time(sent) },
                new SingleValueLegacyExtendedProperty { Id = DedupPropertyId, Value = summary.DedupKey },
            ],
        };
        // A property is only ever assigned a value, never null: the SDK's backing store writes a property "changed to
        // null" as an explicit null, and in some processes twice ({"categories":null,"categories":null}), which a strict
        // JSON reader refuses (the intermittent json-mode failures of issue 16).
        if (summary.Categories.Count > 0)
        {
            message.Categories = [.. summary.Categories];
        }

        if (mime.From.Mailboxes.FirstOrDefault() is { } from)
        {
            message.From = Recipient(from);
        }

        if (mime.Sender is { } sender)
        {
            message.Sender = Recipient(sender);
        }

        if (!string.IsNullOrEmpty(mime.MessageId))
        {
            message.InternetMessageId = "<" + mime.MessageId + ">";
        }

        if (summary.Flags.HasFlag(MailFlags.Flagged))
        {
            message.Flag = new FollowupFlag { FlagStatus = FollowupFlagStatus.Flagged };
        }

        var headers = mime.Headers
            .Where(h => h.Field.StartsWith("X-", StringComparison.OrdinalIgnoreCase) && h.Value.Length is > 0 and < 1000)
            .Take(MaxCustomHeaders)
            .Select(h => new InternetMessageHeader { Name = h.Field, Value = h.Value })
            .ToList();
        if (headers.Count > 0)
        {
            message.InternetMessageHeaders = headers;
        }

        message.Body = mime.HtmlBody is { } html
            ? new ItemBody { ContentType = BodyType.Html, Content = html }
            : new ItemBody { ContentType = BodyType.Text, Content = mime.TextBody ?? string.Empty };

        var budget = MaxCreateRequestBytes - 64 * 1024 - (message.Body.Content?.Length ?? 0) * 2;
        var attachments = new List<Attachment>();
        var pending = new List<PendingAttachment>();
        foreach (var entity in mime.BodyParts.Where(IsAttachment))
        {
            var item = ToAttachment(entity);
            var encoded = (item.Content.Length + 2) / 3 * 4;
            if (item.Content.Length <= inlineAttachmentLimit && encoded <= budget)
            {
                budget -= encoded;
                attachments.Add(FileAttachmentOf(item));
            }
            else
            {
                pending.Add(item);
            }
        }

        if (attachments.Count > 0)
        {
            message.Attachments = attachments;
        }

        return (message, pending);
    }

    /// <summary>The attachment as Graph's fileAttachment; an absent Content-ID stays unset (see the note on nulls in Build).</summary>
    public static FileAttachment FileAttachmentOf(PendingAttachment item)
    {
        var file = new FileAttachment
        {
            OdataType = "#microsoft.graph.fileAttachment",
            Name = item.Name,
            ContentType = item.ContentType,
            ContentBytes = item.Content,
            IsInline = item.IsInline,
        };
        if (item.ContentId is not null)
        {
            file.ContentId = item.ContentId;
        }

        return file;
    }

    /// <summary>Body parts that are not the chosen text/html body.</summary>
    private static bool IsAttachment(MimeEntity entity) =>
        entity is MessagePart ||
        (entity is MimePart part && (part.IsAttachment || !(part.ContentType.IsMimeType("text", "plain") || part.ContentType.IsMimeType("text", "html"))));

    private static PendingAttachment ToAttachment(MimeEntity entity)
    {
        using var buffer = new MemoryStream();
        string name;
        if (entity is MessagePart messagePart)
        {
            messagePart.Message?.WriteTo(buffer);
            name = (messagePart.Message?.Subject is { Length: > 0 } subject ? subject : "message") + ".eml";
        }
        else
        {
            var part = (MimePart)entity;
            part.Content?.DecodeTo(buffer);
            name = part.FileName ?? "attachment";
        }

        return new PendingAttachment(name, entity.ContentType.MimeType, buffer.ToArray(),
            entity.ContentDisposition?.Disposition == ContentDisposition.Inline && entity.ContentId is not null, entity.ContentId);
    }

    private static List<Recipient> Recipients(InternetAddressList list) => list.Mailboxes.Select(Recipient).ToList();

    private static Recipient Recipient(MailboxAddress address)
    {
        var email = new EmailAddress { Address = address.Address };
        if (!string.IsNullOrEmpty(address.Name))
        {
            email.Name = address.Name;
        }

        return new Recipient { EmailAddress = email };
    }

    private static string Time(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MailKit;
using MailKit.Net.Imap;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Imap;

/// <summary>
/// The owner marker of an IMAP target mailbox: a METADATA entry (RFC 5464) on its INBOX naming the plan and the state
/// that write to it, under the rules every target's marker follows (<see cref="TargetOwnerMarkers"/>). RFC 5464 section
/// 3.2 keeps "/private/vendor/&lt;vendor-token&gt;" for vendors' data, and a private entry belongs to the user logged in,
/// which for a target is the mailbox (also when an admin logs in for it). METADATA has no compare-and-set, so the
/// marker is read back after it is written: of two runs writing at the same moment, the one whose value stayed goes
/// on and the other meets it as the owner. A server without METADATA is named once per endpoint (MIG1220) and the copy
/// goes on unmarked, as before; a server that refuses the entry is named too (MIG1221).
/// </summary>
internal static class ImapOwnerMarker
{
    public const string Entry = "/private/vendor/migration-engine/owner";

    /// <summary>A marker is a few lines; anything longer is not one this engine wrote.</summary>
    private const int MaxMarkerChars = 4096;

    private static readonly ConditionalWeakTable<MailboxContext, TargetOwner> Claimed = new();
    private static readonly ConcurrentDictionary<string, byte> Warned = new(StringComparer.Ordinal);

    private enum ReadOutcome
    {
        Value,
        NoValue,
        Unsupported,
        Refused,
    }

    private readonly record struct Read(ReadOutcome Outcome, string? Text);

    /// <summary>Claims the session's target mailbox for the run's owner; once per mailbox run (its connections share the claim).</summary>
    public static async Task ClaimAsync(ImapSession session, CancellationToken cancellationToken)
    {
        var settings = session.Settings;
        var context = settings.Context;
        if (context.TargetOwner is not { } owner || Claimed.TryGetValue(context, out _))
        {
            return;
        }

        var marker = owner.Serialize();
        var where = $"the METADATA entry {Entry} of {settings.Address}'s INBOX";
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var read = await session.ReadAsync("GETMETADATA", ReadAsync, cancellationToken);
            if (read.Outcome is ReadOutcome.Unsupported or ReadOutcome.Refused)
            {
                Unmarked(settings, read);
                break;
            }

            var existing = read.Text is null ? null
                : (read.Text.Length <= MaxMarkerChars ? TargetOwner.Parse(read.Text) : null) ?? throw new MigrationException(Diagnose.TargetOwnerUnreadable(settings.MailboxLocation, where,
                    hint: $"remove it (SETMETADATA INBOX ({Entry} NIL), logged in as the mailbox) if no other state writes to this mailbox, and run again"));
            if (!TargetOwnerMarkers.MustWrite(context, owner, existing, where))
            {
                break;
            }

            var refusal = await session.WriteAsync("SETMETADATA", (client, ct) => WriteAsync(client, marker, ct), cancellationToken);
            if (refusal is not null)
            {
                Unmarked(settings, new Read(ReadOutcome.Refused, refusal));
                break;
            }

            if ((await session.ReadAsync("GETMETADATA", ReadAsync, cancellationToken)).Text == marker)
            {
                break;
            }
        }

        Claimed.AddOrUpdate(context, owner);
    }

    private static async Task<Read> ReadAsync(ImapClient client, CancellationToken cancellationToken)
    {
        if (!client.Capabilities.HasFlag(ImapCapabilities.Metadata))
        {
            return new Read(ReadOutcome.Unsupported, null);
        }

        try
        {
            var text = await client.Inbox.GetMetadataAsync(new MetadataTag(Entry), cancellationToken);
            return new Read(text is null ? ReadOutcome.NoValue : ReadOutcome.Value, text);
        }
        catch (ImapCommandException ex)
        {
            return new Read(ReadOutcome.Refused, ex.ResponseText);
        }
        catch (ImapProtocolException ex) when (ex.Message.Contains("METADATA", StringComparison.Ordinal) && ex.Message.Contains("NIL", StringComparison.Ordinal))
        {
            // RFC 5464 answers an entry without a value with NIL, which MailKit 4.18 cannot parse (it expects a string and
            // drops the connection). An unset entry is exactly what this means; the next command connects again.
            await client.DisconnectAsync(false, CancellationToken.None);
            return new Read(ReadOutcome.NoValue, null);
        }
    }

    /// <summary>Writes the marker; the server's refusal text, or null when stored.</summary>
    private static async Task<string?> WriteAsync(ImapClient client, string marker, CancellationToken cancellationToken)
    {
        try
        {
            await client.Inbox.SetMetadataAsync(new MetadataCollection([new Metadata(new MetadataTag(Entry), marker)]), cancellationToken);
            return null;
        }
        catch (ImapCommandException ex)
        {
            return string.IsNullOrEmpty(ex.ResponseText) ? "refused" : ex.ResponseText;
        }
    }

    /// <summary>The mailbox stays unmarked: said once per endpoint when the server has no METADATA, per mailbox when it refused.</summary>
    private static void Unmarked(ImapSettings settings, Read read)
    {
        if (read.Outcome == ReadOutcome.Unsupported)
        {
            if (Warned.TryAdd($"{settings.EndpointName}\n{settings.Host}:{settings.Port}", 0))
            {
                settings.Logger.Warning("{Diagnostic}", Diagnose.TargetOwnerUnsupported(settings.EndpointLocation,
                    settings.Host, settings.EndpointName,
                        hint: "apply every plan that writes to these mailboxes with one state, or enable METADATA on the server (Dovecot: imap_metadata and mail_attribute_dict)").ToMsBuildString());
            }

            return;
        }

        settings.Logger.Warning("{Diagnostic}", Diagnose.TargetOwnerNotStored(settings.MailboxLocation, settings.Host, settings.Address, Quote.Cell(read.Text),
            hint: "the copy goes on unmarked; another state writing this mailbox is not detected").ToMsBuildString());
    }
}

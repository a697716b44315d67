using System.Security.Cryptography;
using System.Text;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Pim;
using MigrationEngine.Core.Pim.VCards;

namespace MigrationEngine.Adapters.Dav;

/// <summary>
/// The text side of DAV items: keys and hashes (the one call site for Core's item keys), the markers the target writes
/// into each item so that a run without state recognises it, and resource names that never come from the data.
/// </summary>
internal static class DavItemText
{
    /// <summary>Written into every item the target stores: the item's key (base64url of its UTF-8) and its source content hash.</summary>
    public const string KeyMarker = "X-MIGRATIONENGINE-KEY";
    public const string HashMarker = "X-MIGRATIONENGINE-HASH";

    private static readonly string[] ComponentsWithUid = ["VEVENT", "VTODO", "VJOURNAL"];

    /// <summary>
    /// The item's key and content hash. Keys are formed by Core's <see cref="PimKeys"/> from the UID (with RECURRENCE-ID for an
    /// occurrence that comes without its series), as for every other source; without a UID, the content hash. The hash is the
    /// DAV adapter's own (SHA-256 of the unfolded text without the markers the target writes), because items read back
    /// from a DAV target carry those markers.
    /// </summary>
    public static (string Key, string ContentHash) KeyAndHash(ItemKind kind, string text)
    {
        var hash = ContentHash(text);
        return (KeyOf(kind, text) ?? "sha256:" + hash, hash);
    }

    public static string ContentHash(string text)
    {
        var normal = string.Join("\r\n", UnfoldedLines(text).Where(l => !IsMarker(l)).Select(l => l.TrimEnd()).Where(l => l.Length > 0));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal)));
    }

    /// <summary>The key the data itself gives (UID), or null when it has none.</summary>
    public static string? KeyOf(ItemKind kind, string text)
    {
        if (kind == ItemKind.Contacts)
        {
            // Core's vCard reader: grouped, quoted-printable and escaped UIDs read as every other part of the engine reads them.
            var cardUid = VCardReader.Parse(text).FirstOrDefault()?.Uid;
            return string.IsNullOrWhiteSpace(cardUid) ? null : PimKeys.ForUid(cardUid);
        }

        var lines = UnfoldedLines(text).ToList();

        // iCalendar (RFC 4791 section 4.1): one UID per calendar object resource; the series master has no RECURRENCE-ID.
        string? uid = null;
        string? recurrenceId = null;
        var masterSeen = false;
        foreach (var component in Components(lines))
        {
            uid ??= component.Uid;
            if (component.RecurrenceId is null)
            {
                masterSeen = true;
            }
            else
            {
                recurrenceId ??= component.RecurrenceId;
            }
        }

        return string.IsNullOrWhiteSpace(uid) ? null : masterSeen || recurrenceId is null ? PimKeys.ForUid(uid) : PimKeys.ForOccurrence(uid, recurrenceId);
    }

    /// <summary>Why the text cannot be an item of its kind (null when it can): the one VCARD, or a VCALENDAR Ical.Net reads.</summary>
    public static string? Problem(ItemKind kind, string text)
    {
        if (kind == ItemKind.Contacts)
        {
            // RFC 6352 section 5.1: an address object resource holds exactly one vCard.
            var cards = VCardReader.Parse(text);
            return cards.Count switch
            {
                0 => "not a vCard (BEGIN:VCARD ... END:VCARD)",
                > 1 => $"{cards.Count} vCards in one resource (CardDAV allows one)",
                _ => cards[0].Problem is { } problem ? "broken vCard: " + problem : null,
            };
        }

        try
        {
            var calendar = Ical.Net.Calendar.Load(text);
            return calendar is null ? "not an iCalendar object" : null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return "not an iCalendar object: " + ex.GetType().Name;
        }
    }

    /// <summary>
    /// The text to store: our markers replaced (before END:VCARD, or before the END of each component that carries a UID),
    /// and a UID added where the item has none (CardDAV and CalDAV servers need one: RFC 6352 section 5.1, RFC 4791 section 4.1).
    /// </summary>
    public static string WithMarkers(ItemKind kind, string text, string key, string contentHash)
    {
        var needsUid = KeyOf(kind, text) is null;
        var markers = new List<string> { Fold($"{KeyMarker}:{Base64Url(key)}"), Fold($"{HashMarker}:{contentHash}") };
        if (needsUid)
        {
            markers.Insert(0, "UID:" + ResourceStem(key));
        }

        var ends = kind == ItemKind.Contacts ? ["VCARD"] : ComponentsWithUid;
        var output = new StringBuilder();
        var skippingMarker = false;
        foreach (var raw in RawLines(text))
        {
            if (skippingMarker && raw.StartsWith(' ') || skippingMarker && raw.StartsWith('\t'))
            {
                continue;
            }

            skippingMarker = IsMarker(raw);
            if (skippingMarker)
            {
                continue;
            }

            if (raw.StartsWith("END:", StringComparison.OrdinalIgnoreCase) && ends.Contains(raw[4..].Trim(), StringComparer.OrdinalIgnoreCase))
            {
                markers.ForEach(m => output.Append(m).Append("\r\n"));
            }

            output.Append(raw).Append("\r\n");
        }

        return output.ToString();
    }

    /// <summary>The key and source content hash our markers carry in stored text, when they are there.</summary>
    public static (string? Key, string? ContentHash) ReadMarkers(string text)
    {
        string? key = null;
        string? hash = null;
        foreach (var line in UnfoldedLines(text))
        {
            key ??= Value(line, KeyMarker) is { } encoded ? FromBase64Url(encoded.Trim()) : null;
            hash ??= Value(line, HashMarker)?.Trim();
        }

        return (key, hash);
    }

    /// <summary>
    /// The resource name for a key: a hash, never a path taken from the data, so a UID such as ../../x or one of 10,000
    /// characters stays one short name inside the collection.
    /// </summary>
    public static string ResourceName(ItemKind kind, string key) => ResourceStem(key) + (kind == ItemKind.Contacts ? ".vcf" : ".ics");

    private static string ResourceStem(string key) => "me-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..40];

    public static string ContentType(ItemKind kind) => kind == ItemKind.Contacts ? "text/vcard; charset=utf-8" : "text/calendar; charset=utf-8";

    private sealed record Component(string? Uid, string? RecurrenceId);

    private static IEnumerable<Component> Components(IEnumerable<string> lines)
    {
        string? name = null;
        string? uid = null;
        string? recurrenceId = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("BEGIN:", StringComparison.OrdinalIgnoreCase) && ComponentsWithUid.Contains(line[6..].Trim(), StringComparer.OrdinalIgnoreCase))
            {
                (name, uid, recurrenceId) = (line[6..].Trim(), null, null);
            }
            else if (name is not null && line.StartsWith("END:", StringComparison.OrdinalIgnoreCase) && string.Equals(line[4..].Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                yield return new Component(uid, recurrenceId);
                name = null;
            }
            else if (name is not null)
            {
                uid ??= Value(line, "UID");
                recurrenceId ??= Value(line, "RECURRENCE-ID");
            }
        }
    }

    /// <summary>The value of a content line of the given property name (parameters and a group prefix allowed), or null.</summary>
    private static string? Value(string line, string property)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var name = line[..colon].Split(';', 2)[0];
        var dot = name.LastIndexOf('.');
        name = dot >= 0 ? name[(dot + 1)..] : name;
        return string.Equals(name, property, StringComparison.OrdinalIgnoreCase) ? line[(colon + 1)..] : null;
    }

    private static bool IsMarker(string line) =>
        Value(line, KeyMarker) is not null || Value(line, HashMarker) is not null;

    private static IEnumerable<string> RawLines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Where(l => l.Length > 0).Select(l => l.TrimEnd('\r'));

    /// <summary>Content lines with folding undone (RFC 5545 section 3.1, RFC 6350 section 3.2).</summary>
    public static IEnumerable<string> UnfoldedLines(string text)
    {
        var current = new StringBuilder();
        var any = false;
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && any)
            {
                current.Append(line.AsSpan(1));
                continue;
            }

            if (any)
            {
                yield return current.ToString().TrimEnd('\r');
            }

            current.Clear().Append(line);
            any = true;
        }

        if (any && current.Length > 0)
        {
            yield return current.ToString().TrimEnd('\r');
        }
    }

    /// <summary>Folds an ASCII line at 75 octets (our markers are ASCII only).</summary>
    private static string Fold(string line)
    {
        var output = new StringBuilder();
        for (var i = 0; i < line.Length; i += i == 0 ? 75 : 74)
        {
            output.Append(i == 0 ? "" : "\r\n ").Append(line.AsSpan(i, Math.Min(i == 0 ? 75 : 74, line.Length - i)));
        }

        return output.ToString();
    }

    private static string Base64Url(string value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? FromBase64Url(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

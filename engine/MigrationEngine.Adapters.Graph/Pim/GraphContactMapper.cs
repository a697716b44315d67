using System.Globalization;
using Microsoft.Graph.Models;
using MigrationEngine.Core.Pim.VCards;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>A contact as Graph creates it, its photo (PUT afterwards), and what Exchange's contact cannot hold.</summary>
internal sealed record ContactDraft(Contact Contact, byte[]? Photo, string? PhotoType, IReadOnlyList<string> Dropped);

/// <summary>
/// vCard to Graph's contact (https://learn.microsoft.com/graph/api/resources/contact): names, e-mail addresses, phones,
/// postal addresses, birthday, notes, company, job, categories; the photo goes separately through
/// PUT /contacts/{id}/photo/$value (https://learn.microsoft.com/graph/api/profilephoto-update). Exchange's contact has
/// fixed slots (three e-mail addresses, two business and two home phones, one mobile, one address of each kind, three
/// IM addresses): what does not fit, and properties it has no field for, are named in <see cref="ContactDraft.Dropped"/>.
/// </summary>
internal static class GraphContactMapper
{
    /// <summary>Graph refuses requests over 4 MB (https://learn.microsoft.com/graph/api/profilephoto-update: "limit of 4 MB").</summary>
    public const int MaxPhotoBytes = 4 * 1024 * 1024;

    // Bookkeeping of the vCard format and of exporters, not the person's data: nothing is lost by leaving them out.
    private static readonly HashSet<string> Bookkeeping = new(StringComparer.OrdinalIgnoreCase)
    {
        "VERSION", "PRODID", "REV", "UID", "FN", "N", "KIND", "X-ABUID", "X-ABADR", "X-ABLABEL", "LABEL", "CLIENTPIDMAP",
        "X-MS-OL-DEFAULT-POSTAL-ADDRESS", "SOURCE", "NAME", "PROFILE", "MAILER", "SORT-STRING", "X-PHONETIC-FIRST-NAME", "X-PHONETIC-LAST-NAME",
    };

    public static ContactDraft? Map(VCard card, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(card);
        problem = card.Problem;
        if (problem is not null)
            return null;

        var dropped = new List<string>();
        var contact = new Contact();
        var name = card.First("N");
        if (name is not null)
        {
            var parts = name.Components;
            contact.Surname = Part(parts, 0);
            contact.GivenName = Part(parts, 1);
            contact.MiddleName = Part(parts, 2);
            contact.Title = Part(parts, 3);
            contact.Generation = Part(parts, 4);
        }

        contact.DisplayName = NonEmpty(card.FormattedName)
            ?? NonEmpty(string.Join(' ', new[] { contact.GivenName, contact.MiddleName, contact.Surname }.Where(p => p is not null)));
        var photo = default(byte[]);
        string? photoType = null;
        foreach (var property in card.Properties)
        {
            switch (property.Name)
            {
                case var bookkeeping when Bookkeeping.Contains(bookkeeping):
                    break;
                case "EMAIL":
                    AddEmail(contact, property, dropped);
                    break;
                case "TEL":
                    AddPhone(contact, property, dropped);
                    break;
                case "ADR":
                    AddAddress(contact, property, dropped);
                    break;
                case "BDAY":
                    contact.Birthday = Birthday(property.Value);
                    if (contact.Birthday is null)
                        dropped.Add($"BDAY {property.Value} (Graph's birthday needs a full date)");
                    break;
                case "NOTE":
                    contact.PersonalNotes = contact.PersonalNotes is null ? property.Value : contact.PersonalNotes + "\n" + property.Value;
                    break;
                case "ORG":
                    var org = property.Components;
                    contact.CompanyName = Part(org, 0);
                    contact.Department = NonEmpty(string.Join(", ", org.Skip(1).Where(o => o.Length > 0)));
                    break;
                case "TITLE":
                    contact.JobTitle = SingleSlot(contact.JobTitle, property, dropped);
                    break;
                case "ROLE":
                    contact.Profession = SingleSlot(contact.Profession, property, dropped);
                    break;
                case "NICKNAME":
                    foreach (var nickname in property.ListValues.Where(n => n.Length > 0))
                    {
                        if (contact.NickName is null)
                            contact.NickName = nickname;
                        else
                            dropped.Add($"NICKNAME {nickname} (one nickname)");
                    }

                    break;
                case "CATEGORIES":
                    contact.Categories = [.. contact.Categories ?? [], .. property.ListValues.Where(c => c.Length > 0)];
                    break;
                case "URL":
                    contact.BusinessHomePage = SingleSlot(contact.BusinessHomePage, property, dropped);
                    break;
                case "IMPP" or "X-AIM" or "X-JABBER" or "X-MSN" or "X-SKYPE" or "X-ICQ" or "X-YAHOO" or "X-GOOGLE-TALK":
                    var im = contact.ImAddresses ?? [];
                    if (im.Count < 3)
                        contact.ImAddresses = [.. im, property.Value];
                    else
                        dropped.Add($"{property.Name} {property.Value} (Exchange holds three IM addresses)");
                    break;
                case "PHOTO":
                    if (property.Data is null)
                    {
                        dropped.Add("PHOTO given as a link (Graph takes the image itself)");
                        break;
                    }

                    if (property.Data.Length > MaxPhotoBytes)
                    {
                        problem = $"the photo has {property.Data.Length} bytes, Graph takes photos up to {MaxPhotoBytes} bytes";
                        return null;
                    }

                    photo = property.Data;
                    photoType = PhotoType(property);
                    break;
                default:
                    dropped.Add($"{property.Name} (Exchange's contact has no field for it)");
                    break;
            }
        }

        return new ContactDraft(contact, photo, photoType, dropped);
    }

    /// <summary>
    /// For an update (PATCH keeps what the body leaves out, contact-update): text fields the source no longer has are sent
    /// empty and collections as [] so they are cleared; the birthday, which has no empty value, is sent as null by
    /// <see cref="GraphNulls"/> (the SDK model is never given a null).
    /// </summary>
    public static void ClearUnset(Contact contact)
    {
        contact.Surname ??= "";
        contact.GivenName ??= "";
        contact.MiddleName ??= "";
        contact.Title ??= "";
        contact.Generation ??= "";
        contact.DisplayName ??= "";
        contact.NickName ??= "";
        contact.PersonalNotes ??= "";
        contact.CompanyName ??= "";
        contact.Department ??= "";
        contact.JobTitle ??= "";
        contact.Profession ??= "";
        contact.BusinessHomePage ??= "";
        contact.MobilePhone ??= "";
        contact.EmailAddresses ??= [];
        contact.BusinessPhones ??= [];
        contact.HomePhones ??= [];
        contact.ImAddresses ??= [];
        contact.Categories ??= [];
        contact.HomeAddress ??= new PhysicalAddress();
        contact.BusinessAddress ??= new PhysicalAddress();
        contact.OtherAddress ??= new PhysicalAddress();
    }

    private static void AddEmail(Contact contact, VCardProperty property, List<string> dropped)
    {
        var emails = contact.EmailAddresses ?? [];
        if (emails.Count >= 3)
        {
            dropped.Add($"EMAIL {property.Value} (Exchange holds three e-mail addresses)");
            return;
        }

        var address = property.Value.Trim();
        if (address.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            address = address[7..];
        contact.EmailAddresses = [.. emails, new EmailAddress { Address = address, Name = contact.DisplayName ?? address }];
    }

    private static void AddPhone(Contact contact, VCardProperty property, List<string> dropped)
    {
        var number = property.Value.Trim();
        if (number.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
            number = number[4..];
        if (property.HasType("FAX") || property.HasType("PAGER") || property.HasType("TEXTPHONE"))
        {
            dropped.Add($"TEL {number} (fax, pager and text phone numbers have no field in Graph's contact)");
            return;
        }

        if (property.HasType("CELL") && contact.MobilePhone is null)
        {
            contact.MobilePhone = number;
            return;
        }

        var work = property.HasType("WORK") || (property.HasType("CELL") && !property.HasType("HOME"));
        var list = work ? contact.BusinessPhones ?? [] : contact.HomePhones ?? [];
        if (list.Count >= 2)
        {
            dropped.Add($"TEL {number} (Exchange holds two {(work ? "business" : "home")} phones and one mobile)");
            return;
        }

        if (work)
            contact.BusinessPhones = [.. list, number];
        else
            contact.HomePhones = [.. list, number];
    }

    private static void AddAddress(Contact contact, VCardProperty property, List<string> dropped)
    {
        var parts = property.Components;
        var street = string.Join("\n", new[] { Part(parts, 0), Part(parts, 1), Part(parts, 2) }.Where(p => p is not null));
        var address = new PhysicalAddress
        {
            Street = NonEmpty(street),
            City = Part(parts, 3),
            State = Part(parts, 4),
            PostalCode = Part(parts, 5),
            CountryOrRegion = Part(parts, 6),
        };
        if (property.HasType("WORK") && contact.BusinessAddress is null)
            contact.BusinessAddress = address;
        else if (property.HasType("HOME") && contact.HomeAddress is null)
            contact.HomeAddress = address;
        else if (contact.OtherAddress is null)
            contact.OtherAddress = address;
        else
            dropped.Add($"ADR {property.Value.Replace(';', ' ').Trim()} (Exchange holds one home, one business and one other address)");
    }

    /// <summary>yyyy-MM-dd, yyyyMMdd, or a date-time; --MMdd (no year) cannot be held.</summary>
    private static DateTimeOffset? Birthday(string value)
    {
        var text = value.Trim();
        if (text.StartsWith("--", StringComparison.Ordinal))
            return null;
        var datePart = text.Length >= 10 && text[4] == '-' ? text[..10] : text.Length >= 8 ? text[..8] : text;
        string[] formats = ["yyyy-MM-dd", "yyyyMMdd"];
        return DateOnly.TryParseExact(datePart, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : null;
    }

    private static string PhotoType(VCardProperty property)
    {
        var declared = property.Parameter("MEDIATYPE").Concat(property.Parameter("TYPE")).FirstOrDefault() ?? "";
        if (property.RawValue.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            declared = property.RawValue[5..property.RawValue.IndexOf(';', StringComparison.Ordinal)];
        var subtype = declared.Contains('/', StringComparison.Ordinal) ? declared[(declared.IndexOf('/', StringComparison.Ordinal) + 1)..] : declared;
        return subtype.ToUpperInvariant() switch
        {
            "PNG" => "image/png",
            "GIF" => "image/gif",
            _ => "image/jpeg",
        };
    }

    private static string? SingleSlot(string? current, VCardProperty property, List<string> dropped)
    {
        if (current is null)
            return NonEmpty(property.Value);
        dropped.Add($"{property.Name} {property.Value} (one {property.Name} field)");
        return current;
    }

    private static string? Part(IReadOnlyList<string> parts, int index) => index < parts.Count ? NonEmpty(parts[index]) : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

using System.Globalization;
using Microsoft.Graph.Models;
using MigrationEngine.Core.Pim;
using MigrationEngine.Core.Pim.VCards;

namespace MigrationEngine.Adapters.Graph.Pim;

/// <summary>
/// Graph's contact (https://learn.microsoft.com/graph/api/resources/contact) back to a vCard 3.0, the inverse of
/// <see cref="GraphContactMapper"/>: each field goes back to the property it came from (businessPhones to TEL;TYPE=WORK,
/// homeAddress to ADR;TYPE=HOME...), the photo to PHOTO, and the item key the engine stamped to UID (a key made from the
/// content, <c>sha256:</c>, has no UID to give back).
/// </summary>
internal static class GraphContactText
{
    public static string Write(Contact contact, string? key, byte[]? photo)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var properties = new List<VCardProperty> { new("VERSION", "3.0") };
        if (key is not null && !key.StartsWith(PimKeys.HashPrefix, StringComparison.Ordinal))
            properties.Add(VCardProperty.Text("UID", key));
        properties.Add(VCardProperty.Text("FN", contact.DisplayName ?? ""));
        properties.Add(VCardProperty.Structured("N",
            [contact.Surname ?? "", contact.GivenName ?? "", contact.MiddleName ?? "", contact.Title ?? "", contact.Generation ?? ""]));
        if (NonEmpty(contact.NickName) is { } nickname)
            properties.Add(VCardProperty.List("NICKNAME", [nickname]));
        foreach (var email in contact.EmailAddresses ?? [])
        {
            if (NonEmpty(email.Address) is { } address)
                properties.Add(VCardProperty.Text("EMAIL", address, parameters: [VCardProperty.Param("TYPE", "INTERNET")]));
        }

        if (NonEmpty(contact.MobilePhone) is { } mobile)
            properties.Add(Phone(mobile, "CELL"));
        properties.AddRange((contact.BusinessPhones ?? []).Where(p => NonEmpty(p) is not null).Select(p => Phone(p!, "WORK")));
        properties.AddRange((contact.HomePhones ?? []).Where(p => NonEmpty(p) is not null).Select(p => Phone(p!, "HOME")));
        AddAddress(properties, contact.BusinessAddress, "WORK");
        AddAddress(properties, contact.HomeAddress, "HOME");
        AddAddress(properties, contact.OtherAddress, null);
        if (contact.Birthday is { } birthday)
            properties.Add(new VCardProperty("BDAY", birthday.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        if (NonEmpty(contact.PersonalNotes) is { } notes)
            properties.Add(VCardProperty.Text("NOTE", notes));
        if (NonEmpty(contact.CompanyName) is not null || NonEmpty(contact.Department) is not null)
            properties.Add(VCardProperty.Structured("ORG", [contact.CompanyName ?? "", .. Departments(contact.Department)]));
        if (NonEmpty(contact.JobTitle) is { } title)
            properties.Add(VCardProperty.Text("TITLE", title));
        if (NonEmpty(contact.Profession) is { } role)
            properties.Add(VCardProperty.Text("ROLE", role));
        if (contact.Categories is { Count: > 0 } categories)
            properties.Add(VCardProperty.List("CATEGORIES", categories.Where(c => NonEmpty(c) is not null)!));
        if (NonEmpty(contact.BusinessHomePage) is { } url)
            properties.Add(new VCardProperty("URL", url));
        properties.AddRange((contact.ImAddresses ?? []).Where(a => NonEmpty(a) is not null).Select(a => VCardProperty.Text("IMPP", a!)));
        if (photo is { Length: > 0 })
            properties.Add(VCardProperty.Binary("PHOTO", photo, PhotoType(photo), VCardVersion.V3));
        return VCardWriter.Write(new VCard(properties));
    }

    private static VCardProperty Phone(string number, string type) =>
        VCardProperty.Text("TEL", number, parameters: [VCardProperty.Param("TYPE", type)]);

    /// <summary>The mapper joined post office box, extended address and street with line breaks: they go back as the street.</summary>
    private static void AddAddress(List<VCardProperty> properties, PhysicalAddress? address, string? type)
    {
        if (address is null)
            return;
        string[] parts = ["", "", address.Street ?? "", address.City ?? "", address.State ?? "", address.PostalCode ?? "", address.CountryOrRegion ?? ""];
        if (parts.All(p => p.Length == 0))
            return;
        properties.Add(VCardProperty.Structured("ADR", parts, parameters: type is null ? null : [VCardProperty.Param("TYPE", type)]));
    }

    /// <summary>The mapper joined the ORG units after the company with ", ".</summary>
    private static IEnumerable<string> Departments(string? department) =>
        NonEmpty(department) is { } text ? text.Split(", ", StringSplitOptions.None) : [];

    /// <summary>GET photo/$value answers the bytes only; the type is read from the image's signature.</summary>
    private static string PhotoType(byte[] photo) => photo switch
    {
        [0x89, 0x50, 0x4E, 0x47, ..] => "image/png",
        [0x47, 0x49, 0x46, ..] => "image/gif",
        _ => "image/jpeg",
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

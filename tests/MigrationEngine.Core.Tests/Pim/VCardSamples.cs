namespace MigrationEngine.Core.Tests.Pim;

/// <summary>
/// vCards from the RFCs' examples (RFC 6350 section 8, RFC 2426 section 8) and shaped like real exports: Google Contacts
/// (3.0), Apple Contacts (3.0 with item groups, X-ABLabel, base64 PHOTO) and Outlook (2.1 with QUOTED-PRINTABLE, CHARSET
/// and a BASE64 PHOTO ending in a blank line). Line ends are CRLF unless a test says otherwise.
/// </summary>
internal static class VCardSamples
{
    public static string Crlf(string text) => text.ReplaceLineEndings("\r\n");

    // RFC 6350 section 8 (the ADR and KEY lines are folded as in the RFC).
    public static readonly string Rfc6350Author = Crlf("""
        BEGIN:VCARD
        VERSION:4.0
        FN:Simon Perreault
        N:Perreault;Simon;;;ing. jr,M.Sc.
        BDAY:--0203
        ANNIVERSARY:20090808T1430-0500
        GENDER:M
        LANG;PREF=1:fr
        LANG;PREF=2:en
        ORG;TYPE=work:Viagenie
        ADR;TYPE=work:;Suite D2-630;2875 Laurier;
         Quebec;QC;G1V 2M2;Canada
        TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+1-418-656-9254;ext=102
        TEL;VALUE=uri;TYPE="work,cell,voice,video,text";PREF=2:tel:+1-418-262-6501
        EMAIL;TYPE=work:simon.perreault@viagenie.ca
        GEO;TYPE=work:geo:46.772673,-71.282945
        KEY;TYPE=work;VALUE=uri:
         http://www.viagenie.ca/simon.perreault/simon.asc
        TZ:-0500
        URL;TYPE=home:http://nomis80.org
        END:VCARD

        """);

    // RFC 2426 section 8: two cards in one text, BEGIN/END in mixed case as the RFC writes them.
    public static readonly string Rfc2426Examples = Crlf("""
        BEGIN:vCard
        VERSION:3.0
        FN:Frank Dawson
        ORG:Lotus Development Corporation
        ADR;TYPE=WORK,POSTAL,PARCEL:;;6544 Battleford Drive
         ;Raleigh;NC;27613-3502;U.S.A.
        TEL;TYPE=VOICE,MSG,WORK:+1-919-676-9515
        TEL;TYPE=FAX,WORK:+1-919-676-9564
        EMAIL;TYPE=INTERNET,PREF:Frank_Dawson@Lotus.com
        EMAIL;TYPE=INTERNET:fdawson@earthlink.net
        URL:http://home.earthlink.net/~fdawson
        END:vCard

        BEGIN:vCard
        VERSION:3.0
        FN:Tim Howes
        ORG:Netscape Communications Corp.
        ADR;TYPE=WORK:;;501 E. Middlefield Rd.;Mountain View;
         CA; 94043;U.S.A.
        TEL;TYPE=VOICE,MSG,WORK:+1-415-937-3419
        TEL;TYPE=FAX,WORK:+1-415-528-4164
        EMAIL;TYPE=INTERNET:howes@netscape.com
        END:vCard

        """);

    // Google Contacts export ("vCard" format): repeated TYPE parameters, an item group, escaped note, label categories.
    public static readonly string Google = Crlf("""
        BEGIN:VCARD
        VERSION:3.0
        FN:Ada Lovelace
        N:Lovelace;Ada;;;
        NICKNAME:Ada
        EMAIL;TYPE=INTERNET;TYPE=HOME:ada@example.org
        EMAIL;TYPE=INTERNET;TYPE=WORK:ada@engines.example
        TEL;TYPE=CELL:+44 20 7946 0958
        ADR;TYPE=HOME:;;12 St James's Square;London;;SW1Y 4JH;United Kingdom
        ORG:Analytical Engines
        TITLE:Programmer
        BDAY:1815-12-10
        item1.URL:https\://example.org/ada
        item1.X-ABLabel:
        NOTE:First line\nSecond line\, with a comma\; and a semicolon
        CATEGORIES:myContacts,Friends
        END:VCARD

        """);

    public static readonly byte[] PhotoBytes = Enumerable.Range(0, 300).Select(i => (byte)(i * 7 % 256)).ToArray();

    // Apple Contacts export: item groups tie EMAIL/ADR to X-ABLabel/X-ABADR, type= in lower case, a folded base64 PHOTO.
    public static readonly string Apple = Crlf($"""
        BEGIN:VCARD
        VERSION:3.0
        PRODID:-//Apple Inc.//macOS 14.5//EN
        N:Appleseed;Johnny;;;
        FN:Johnny Appleseed
        ORG:Apple Inc.;
        item1.EMAIL;type=INTERNET;type=pref:johnny@example.com
        item1.X-ABLabel:_$!<Other>!$_
        TEL;type=CELL;type=VOICE;type=pref:+1 (408) 555-0100
        item2.ADR;type=HOME;type=pref:;;1 Infinite Loop;Cupertino;CA;95014;United States
        item2.X-ABADR:us
        {FoldBase64("PHOTO;ENCODING=b;TYPE=JPEG:", PhotoBytes)}
        UID:0F9F2A7C-1B4C-4E4B-9B0E-1A2B3C4D5E6F
        X-ABUID:0F9F2A7C-1B4C-4E4B-9B0E-1A2B3C4D5E6F\:ABPerson
        END:VCARD

        """);

    // Outlook "Save as vCard" (2.1): windows-1252 quoted-printable with a soft line break, bare TYPE values, a LABEL with
    // encoded line breaks and a BASE64 PHOTO whose value starts on the next line and ends with a blank line.
    public static readonly string Outlook = Crlf($"""
        BEGIN:VCARD
        VERSION:2.1
        N;LANGUAGE=de-de;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen
        FN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:J=FCrgen M=FCller
        ORG:Contoso GmbH;Vertrieb
        TITLE:Leiter
        NOTE;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Erste Zeile=0D=0AZweite Zeile, die =FCber die Zeilengrenze=
         geht.
        TEL;WORK;VOICE:+49 30 1234567
        TEL;CELL;VOICE:+49 170 1234567
        ADR;WORK;PREF;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:;;Hauptstra=DFe 1;Berlin;;10115;Deutschland
        LABEL;WORK;PREF;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Hauptstra=DFe 1=0D=0ABerlin 10115=0D=0ADeutschland
        EMAIL;PREF;INTERNET:juergen.mueller@contoso.example
        PHOTO;TYPE=JPEG;ENCODING=BASE64:
        {FoldBase64(" ", PhotoBytes)}

        X-MS-OL-DEFAULT-POSTAL-ADDRESS:2
        REV:20240101T120000Z
        END:VCARD

        """);

    /// <summary>A base64 value folded like the exporters do: 64 characters a line after the first, each continuation indented.</summary>
    public static string FoldBase64(string header, byte[] data)
    {
        var base64 = Convert.ToBase64String(data);
        var lines = new List<string> { header + base64[..Math.Min(40, base64.Length)] };
        for (var i = 40; i < base64.Length; i += 64)
            lines.Add(" " + base64.Substring(i, Math.Min(64, base64.Length - i)));
        return string.Join("\n", lines);
    }
}

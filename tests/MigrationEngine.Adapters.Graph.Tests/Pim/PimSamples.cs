using System.Security.Cryptography;
using System.Text;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>Items as a contacts or calendar source hands them over, and the Graph target opened for a mailbox.</summary>
internal static class PimItems
{
    public static async Task<IPimTarget> OpenAsync(GraphTestBed bed, string mailbox) =>
        await ((IPimTargetFactory)bed.Factory).OpenAsync(bed.Context(bed.Endpoint(), mailbox), default);

    public static PimItem Item(ItemKind kind, string key, string text) => new()
    {
        Kind = kind,
        SourceId = key + ".txt",
        Key = key,
        ContentHash = Hash(text),
        Text = text,
    };

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>Calendar objects shaped like Google, Apple and Outlook exports, for the Graph mapping and emulator tests.</summary>
internal static class PimSamples
{
    public static string Crlf(string text) => text.ReplaceLineEndings("\r\n");

    public static string Calendar(string events, string extra = "") => Crlf($"""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Google Inc//Google Calendar 70.9054//EN
        {extra}BEGIN:VTIMEZONE
        TZID:Europe/Berlin
        BEGIN:STANDARD
        DTSTART:19701025T030000
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0100
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
        END:STANDARD
        BEGIN:DAYLIGHT
        DTSTART:19700329T020000
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
        END:DAYLIGHT
        END:VTIMEZONE
        {events}END:VCALENDAR

        """);

    /// <summary>A weekly meeting on Mondays and Wednesdays with two attendees, an alarm, one cancelled and one moved occurrence.</summary>
    public static readonly string WeeklyMeeting = Calendar("""
        BEGIN:VEVENT
        UID:weekly-1@example.org
        DTSTART;TZID=Europe/Berlin:20240108T093000
        DTEND;TZID=Europe/Berlin:20240108T100000
        RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20240331T225959Z
        EXDATE;TZID=Europe/Berlin:20240110T093000
        SUMMARY:Team sync
        DESCRIPTION:Weekly status\nBring numbers
        LOCATION:Room 4
        CATEGORIES:Work,Team
        ORGANIZER;CN=Ann Owner:mailto:ann@contoso.example
        ATTENDEE;CN=Bob Guest;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:bob@fabrikam.example
        ATTENDEE;CN=Cy Maybe;ROLE=OPT-PARTICIPANT;PARTSTAT=TENTATIVE:mailto:cy@fabrikam.example
        BEGIN:VALARM
        ACTION:DISPLAY
        DESCRIPTION:Reminder
        TRIGGER:-PT10M
        END:VALARM
        END:VEVENT
        BEGIN:VEVENT
        UID:weekly-1@example.org
        RECURRENCE-ID;TZID=Europe/Berlin:20240115T093000
        DTSTART;TZID=Europe/Berlin:20240115T110000
        DTEND;TZID=Europe/Berlin:20240115T113000
        SUMMARY:Team sync (moved)
        END:VEVENT

        """);

    public static readonly string AllDay = Calendar("""
        BEGIN:VEVENT
        UID:holiday-1@example.org
        DTSTART;VALUE=DATE:20240501
        DTEND;VALUE=DATE:20240503
        SUMMARY:Long weekend
        TRANSP:TRANSPARENT
        END:VEVENT

        """, "X-WR-TIMEZONE:Europe/Berlin\n");

    public static string Single(string rule = "", string tzid = "Europe/Berlin") => Calendar($"""
        BEGIN:VEVENT
        UID:single-{Math.Abs(rule.GetHashCode(StringComparison.Ordinal))}@example.org
        DTSTART;TZID={tzid}:20240205T140000
        DTEND;TZID={tzid}:20240205T150000
        {rule}SUMMARY:Dentist
        END:VEVENT

        """);

    public static readonly string AppleContact = Crlf("""
        BEGIN:VCARD
        VERSION:3.0
        PRODID:-//Apple Inc.//macOS 14.5//EN
        N:Appleseed;Johnny;Q.;Dr.;Jr.
        FN:Dr. Johnny Q. Appleseed Jr.
        ORG:Apple Inc.;Engineering
        TITLE:Engineer
        item1.EMAIL;type=INTERNET;type=pref:johnny@example.com
        item1.X-ABLabel:_$!<Other>!$_
        EMAIL;type=INTERNET;type=WORK:j.appleseed@apple.example
        TEL;type=CELL;type=VOICE;type=pref:+1 (408) 555-0100
        TEL;type=WORK;type=VOICE:+1 (408) 555-0101
        TEL;type=HOME;type=FAX:+1 (408) 555-0102
        item2.ADR;type=HOME;type=pref:;;1 Infinite Loop;Cupertino;CA;95014;United States
        item2.X-ABADR:us
        BDAY:1976-04-01
        NOTE:Met at WWDC\, 2019
        CATEGORIES:Friends,Work
        X-SOCIALPROFILE;type=twitter:https://twitter.com/johnny
        UID:0F9F2A7C-1B4C-4E4B-9B0E-1A2B3C4D5E6F
        END:VCARD

        """);
}

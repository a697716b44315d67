namespace MigrationEngine.Adapters.Dav.Tests;

/// <summary>Contacts and events as clients write them (CRLF, folded lines, a photo, time zones, an override, attendees).</summary>
public static class Samples
{
    public static string Crlf(string text) => text.ReplaceLineEndings("\r\n");

    public static string Contact(string uid, string name, string email, string note = "Met at the conference") => Crlf($"""
        BEGIN:VCARD
        VERSION:3.0
        UID:{uid}
        FN:{name}
        N:{name.Split(' ')[^1]};{name.Split(' ')[0]};;;
        EMAIL;TYPE=INTERNET,WORK:{email}
        TEL;TYPE=CELL:+49 170 1234567
        ADR;TYPE=HOME:;;Hauptstr. 1;Berlin;;10115;Germany
        BDAY:1980-04-01
        NOTE:{note}
        PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=
         =
        END:VCARD

        """);

    public const string RecurringUid = "weekly-standup-0001@example.test";
    public const string AllDayUid = "all-day-0002@example.test";
    public const string MeetingUid = "meeting-0003@example.test";

    private const string Berlin = """
        BEGIN:VTIMEZONE
        TZID:Europe/Berlin
        BEGIN:DAYLIGHT
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        TZNAME:CEST
        DTSTART:19700329T020000
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
        END:DAYLIGHT
        BEGIN:STANDARD
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0100
        TZNAME:CET
        DTSTART:19701025T030000
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
        END:STANDARD
        END:VTIMEZONE
        """;

    /// <summary>A weekly series with one moved occurrence (RECURRENCE-ID), in one calendar object resource.</summary>
    public static string RecurringWithOverride(string summary = "Weekly stand-up") => Crlf($"""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Example//Samples//EN
        {Berlin}
        BEGIN:VEVENT
        UID:{RecurringUid}
        DTSTAMP:20260101T090000Z
        DTSTART;TZID=Europe/Berlin:20260105T093000
        DTEND;TZID=Europe/Berlin:20260105T094500
        RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10
        SUMMARY:{summary}
        LOCATION:Room 1
        CATEGORIES:Team
        BEGIN:VALARM
        ACTION:DISPLAY
        DESCRIPTION:Reminder
        TRIGGER:-PT10M
        END:VALARM
        END:VEVENT
        BEGIN:VEVENT
        UID:{RecurringUid}
        DTSTAMP:20260101T090000Z
        RECURRENCE-ID;TZID=Europe/Berlin:20260112T093000
        DTSTART;TZID=Europe/Berlin:20260112T110000
        DTEND;TZID=Europe/Berlin:20260112T111500
        SUMMARY:{summary} (moved)
        END:VEVENT
        END:VCALENDAR

        """);

    public static string AllDay() => Crlf($"""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Example//Samples//EN
        BEGIN:VEVENT
        UID:{AllDayUid}
        DTSTAMP:20260101T090000Z
        DTSTART;VALUE=DATE:20260301
        DTEND;VALUE=DATE:20260302
        SUMMARY:Company holiday
        TRANSP:TRANSPARENT
        END:VEVENT
        END:VCALENDAR

        """);

    public static string Meeting() => Crlf($"""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Example//Samples//EN
        BEGIN:VEVENT
        UID:{MeetingUid}
        DTSTAMP:20260101T090000Z
        DTSTART:20260210T140000Z
        DTEND:20260210T150000Z
        SUMMARY:Budget review
        DESCRIPTION:Numbers for Q2\, please bring the draft.
        ORGANIZER;CN=Ann Organiser:mailto:ann@example.test
        ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:bob@example.test
        ATTENDEE;CN=Carla;PARTSTAT=TENTATIVE;ROLE=OPT-PARTICIPANT:mailto:carla@example.test
        END:VEVENT
        END:VCALENDAR

        """);

    /// <summary>A VTODO (a task), which an event calendar source leaves out.</summary>
    public static string Task(string uid) => Crlf($"""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Example//Samples//EN
        BEGIN:VTODO
        UID:{uid}
        DTSTAMP:20260101T090000Z
        SUMMARY:File the report
        END:VTODO
        END:VCALENDAR

        """);
}

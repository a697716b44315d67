"""Contacts and calendars of the quickstart (imported by make-sample-data.py; deterministic, no randomness).

Written:
  pim/<user>/contacts/*.vcf and contacts/<book>/*.vcf   vCard 3.0 and 4.0, one or many cards per file, a photo,
                                                        folded lines, grouped properties, a card without UID
  pim/<user>/calendar/*.ics and calendar/<name>/*.ics   a weekly series with a moved and a cancelled occurrence,
                                                        an all-day event, reminders, categories, attendees, an
                                                        event without UID
  takeout/erin@example.com/Contacts/My Contacts/My Contacts.vcf, Contacts/All Contacts/All Contacts.vcf,
  takeout/erin@example.com/Calendar/erin@example.com.ics, Calendar/Holidays.ics   (Google Takeout layout)
"""
import base64
import os
import struct
import zlib

PARIS = """BEGIN:VTIMEZONE
TZID:Europe/Paris
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
"""


def crlf(text):
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def fold(line):
    """RFC 6350/5545 folding at 75 octets (ASCII content here)."""
    parts = [line[:75]]
    rest = line[75:]
    while rest:
        parts.append(" " + rest[:74])
        rest = rest[74:]
    return "\n".join(parts)


def photo_png(size=24):
    """A small valid PNG, a colour gradient (no randomness)."""
    rows = b"".join(b"\x00" + bytes(((x * 10) % 256, (y * 10) % 256, 128) [c] for x in range(size) for c in range(3)) for y in range(size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def card(lines):
    return "BEGIN:VCARD\n" + "\n".join(fold(line) for line in lines) + "\nEND:VCARD\n"


def contacts(user, first_name, domain):
    photo = base64.b64encode(photo_png()).decode("ascii")
    colleague = card([
        "VERSION:3.0", f"UID:{user}-contact-1", "FN:Jeanne Moreau", "N:Moreau;Jeanne;;Mme;",
        "ORG:Dupont SA;Comptabilité", "TITLE:Directrice financière",
        "EMAIL;TYPE=INTERNET,WORK:jeanne.moreau@dupont.example", "EMAIL;TYPE=INTERNET,HOME:jeanne@home.example",
        "TEL;TYPE=CELL:+33 6 12 34 56 78", "TEL;TYPE=WORK,VOICE:+33 1 23 45 67 89",
        "ADR;TYPE=WORK:;;12 rue de la Paix;Paris;;75002;France",
        "BDAY:1980-04-12", "NOTE:Rencontrée au salon de Lyon\\, 2023. Préfère le téléphone.",
        "item1.URL:https://dupont.example", "item1.X-ABLabel:Site", "CATEGORIES:Clients,VIP",
        f"PHOTO;ENCODING=b;TYPE=PNG:{photo}",
    ])
    friend = card([
        "VERSION:4.0", f"UID:urn:uuid:2a7e9c10-{len(user):04d}-4000-8000-{user.encode().hex()[:12]}",
        "FN:Müller, Jürgen", "N:Müller;Jürgen;;;", "EMAIL;TYPE=home:juergen.mueller@example.de",
        "TEL;VALUE=uri;TYPE=\"voice,home\":tel:+49-30-1234567", "ADR;TYPE=home:;;Straße des 17. Juni 1;Berlin;;10623;Deutschland",
        "BDAY:--0705", "ANNIVERSARY:20100612",
    ])
    no_uid = card(["VERSION:3.0", "FN:Plombier (urgence)", "N:;Plombier;;;", "TEL;TYPE=WORK:+33 1 98 76 54 32", "NOTE:Pas d'UID : clé par empreinte du contenu"])
    team = card([
        "VERSION:3.0", f"UID:{user}-team-1", f"FN:{first_name} (équipe)", "EMAIL:equipe@" + domain, "TEL:+33 1 00 00 00 01",
    ])
    return {"contacts/carnet.vcf": colleague + friend + no_uid, "contacts/Équipe/equipe.vcf": team}


def calendar(user, uid_prefix):
    header = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//MigrationEngine//sample//FR\nCALSCALE:GREGORIAN\n"
    weekly = f"""BEGIN:VEVENT
UID:{uid_prefix}-weekly
DTSTAMP:20240101T080000Z
DTSTART;TZID=Europe/Paris:20240108T093000
DTEND;TZID=Europe/Paris:20240108T100000
RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10
EXDATE;TZID=Europe/Paris:20240122T093000
SUMMARY:Point hebdo
LOCATION:Salle Rivoli
DESCRIPTION:Ordre du jour : avancement\\, risques\\, prochaines étapes.
CATEGORIES:Réunion,Équipe
ORGANIZER;CN=Jeanne Moreau:mailto:jeanne.moreau@dupont.example
ATTENDEE;CN={user};PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:{user}
ATTENDEE;CN=Bob Dupont;PARTSTAT=TENTATIVE;ROLE=OPT-PARTICIPANT:mailto:bob@example.com
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:Point hebdo
TRIGGER:-PT15M
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:{uid_prefix}-weekly
DTSTAMP:20240101T080000Z
RECURRENCE-ID;TZID=Europe/Paris:20240115T093000
DTSTART;TZID=Europe/Paris:20240115T140000
DTEND;TZID=Europe/Paris:20240115T143000
SUMMARY:Point hebdo (déplacé)
LOCATION:Salle Rivoli
END:VEVENT
"""
    all_day = f"""BEGIN:VEVENT
UID:{uid_prefix}-holiday
DTSTAMP:20240101T080000Z
DTSTART;VALUE=DATE:20240715
DTEND;VALUE=DATE:20240716
SUMMARY:Jour de congé
TRANSP:TRANSPARENT
CATEGORIES:Congés
END:VEVENT
"""
    no_uid = """BEGIN:VEVENT
DTSTAMP:20240101T080000Z
DTSTART:20240301T120000Z
DTEND:20240301T130000Z
SUMMARY:Déjeuner (sans UID)
END:VEVENT
"""
    return {
        "calendar/agenda.ics": header + PARIS + weekly + all_day + "END:VCALENDAR\n",
        "calendar/Perso/divers.ics": header + no_uid + "END:VCALENDAR\n",
    }


def write(root, files):
    for relative, text in files.items():
        path = os.path.join(root, *relative.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(crlf(text))


def write_pim(output):
    """The ics-vcf tree of the quickstart's contacts-and-calendars migration, and Erin's Takeout contacts and calendars."""
    for user, first_name, prefix in (("alice@example.com", "Alice", "alice"), ("bob@example.com", "Bob", "bob"), ("carol@example.com", "Carol", "carol")):
        write(os.path.join(output, "pim", user), {**contacts(user, first_name, "example.com"), **calendar(user, prefix)})
    erin = os.path.join(output, "takeout", "erin@example.com")
    people = contacts("erin@example.com", "Erin", "example.com")["contacts/carnet.vcf"]
    events = calendar("erin@example.com", "erin")
    write(erin, {
        # Takeout exports a contact once per group it is in: All Contacts repeats My Contacts.
        "Contacts/My Contacts/My Contacts.vcf": people,
        "Contacts/All Contacts/All Contacts.vcf": people,
        "Calendar/erin@example.com.ics": events["calendar/agenda.ics"],
        "Calendar/Holidays.ics": events["calendar/Perso/divers.ics"],
    })

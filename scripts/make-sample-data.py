#!/usr/bin/env python3
"""Writes the quickstart's sample mailboxes to plans/examples/data/ (deterministic: fixed seed, fixed dates).

Layout written:
  source/<user>/INBOX.mbox, Sent.mbox, Drafts.mbox, Archive/2023.mbox, Archive/2024.mbox,
      Projets/Été 2024.mbox, Projets/Budget.mbox  (mbox "folders" layout, mboxrd quoting) for 3 users
  maildir/dave@example.com/        a Maildir++ mailbox (flags, Dovecot keywords, .Sub.Folder names)
  takeout/erin@example.com.mbox    a Google Takeout mbox (X-Gmail-Labels)
  eml/frank@example.com/           a tree of .eml files
  pim/<user>/contacts, calendar    contacts and calendars (ics-vcf layout), and Takeout's beside erin's mbox (sample_pim.py)

Malformed messages on purpose (alice's INBOX and bob's Archive/2023): no headers, mixed CRLF and bare LF,
a raw 8-bit header, a broken MIME boundary, no Message-ID, two messages with the same Message-ID, and a
truncated last message. Usage: python3 scripts/make-sample-data.py [output-dir]
"""
import base64
import os
import random
import shutil
import struct
import sys
import zlib

import sample_pim
from datetime import datetime, timedelta, timezone
from email.header import Header

SEED = 20240601
BASE_DATE = datetime(2023, 1, 9, 8, 30, tzinfo=timezone.utc)
USERS = {
    "alice@example.com": ("Alice Martin", 120),
    "bob@example.com": ("Bob Dupont", 100),
    "carol@example.com": ("Carol Lefèvre", 80),
}
FOLDERS = [
    ("INBOX", 0.40), ("Sent", 0.15), ("Drafts", 0.03), ("Archive/2023", 0.15),
    ("Archive/2024", 0.12), ("Projets/Été 2024", 0.10), ("Projets/Budget", 0.05),
]
SUBJECTS = [
    "Réunion de lundi", "Quarterly report", "Déjeuner vendredi ?", "Budget 2024 – révision",
    "Invoice #{n}", "Re: planning", "Photos de l'été", "Fwd: contrat signé", "Straße und Grüße",
    "日本語の件名", "Status update", "Ordre du jour", "Café ☕ demain", "Urgent: serveur en panne",
]
WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut "
         "labore et dolore magna aliqua réunion été café naïve façade").split()


def png_bytes(rng, size=16):
    """A small valid PNG (random colour blocks)."""
    rows = b"".join(b"\x00" + bytes(rng.randrange(256) for _ in range(size * 3)) for _ in range(size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def pdf_bytes(title):
    text = f"BT /F1 18 Tf 50 750 Td ({title}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def b64(data):
    text = base64.b64encode(data).decode("ascii")
    return "\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def encoded_subject(rng, subject):
    """About half of the non-ASCII subjects are RFC 2047 encoded, the other half raw UTF-8 (RFC 6532)."""
    if subject.isascii() or rng.random() < 0.5:
        return subject
    return Header(subject, "utf-8").encode()


def make_message(rng, user, name, folder, index, date):
    correspondents = [("Jean Moreau", "jean.moreau@partner.example"), ("Zoë Schäfer", "zoe@lieferant.example"),
                      ("Ops Team", "ops@example.net"), ("Li Wei", "li.wei@example.org")]
    other_name, other = rng.choice(correspondents)
    outgoing = folder in ("Sent", "Drafts")
    sender = (name, user) if outgoing else (other_name, other)
    recipient = (other_name, other) if outgoing else (name, user)
    subject = rng.choice(SUBJECTS).format(n=1000 + index)
    body = "\n".join(" ".join(rng.choice(WORDS) for _ in range(rng.randrange(6, 14))) for _ in range(rng.randrange(3, 12)))
    if rng.random() < 0.08:
        # mboxrd quoting round trip: both lines are escaped with one more '>' when written.
        body += "\nFrom the desk of the director: this line starts with From.\n>From an old quote.\n"
    mid = f"<{date.strftime('%Y%m%d%H%M%S')}.{index}.{rng.randrange(10**8):08d}@{user.split('@')[1]}>"
    headers = [
        f"From: {Header(sender[0], 'utf-8').encode()} <{sender[1]}>",
        f"To: {Header(recipient[0], 'utf-8').encode()} <{recipient[1]}>",
        f"Subject: {encoded_subject(rng, subject)}",
        f"Date: {date.strftime('%a, %d %b %Y %H:%M:%S +0000')}",
        f"Message-ID: {mid}",
        "MIME-Version: 1.0",
    ]
    if folder != "Drafts" and not outgoing and rng.random() < 0.7:
        headers.append("Status: RO")
    attachment = rng.random()
    if attachment < 0.12:
        boundary = f"=_sample_{index}_{rng.randrange(10**6):06d}"
        kind, filename, data = (("image/png", "photo.png", png_bytes(rng)) if attachment < 0.06
                                else ("application/pdf", "document.pdf", pdf_bytes(subject.encode('ascii', 'replace').decode())))
        headers.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
        text = (f"This is a multi-part message in MIME format.\n\n--{boundary}\n"
                f"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}\n\n"
                f"--{boundary}\nContent-Type: {kind}; name=\"{filename}\"\n"
                f"Content-Disposition: attachment; filename=\"{filename}\"\nContent-Transfer-Encoding: base64\n\n"
                f"{b64(data)}\n--{boundary}--\n")
    else:
        headers += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
        text = body + "\n"
    return ("\n".join(headers) + "\n\n" + text).encode("utf-8")


def malformed_messages(date):
    """Messages that a careful reader must copy as they are."""
    stamp = date.strftime('%a, %d %b %Y %H:%M:%S +0000')
    return [
        b"This message has no header section at all.\nJust text.\n",
        ("From: Mixed <mixed@example.net>\r\nSubject: CRLF headers, bare LF body\r\nDate: " + stamp
         + "\r\nMessage-ID: <mixed-endings@example.net>\r\n\r\nline one\nline two\r\nline three\n").encode(),
        b"From: =?utf-8?q?Caf=C3=A9?= <cafe@example.net>\nSubject: 8-bit header: \xe9t\xe9 en Latin-1\nDate: "
        + stamp.encode() + b"\nMessage-ID: <eight-bit@example.net>\n\nBody.\n",
        ("From: Broken <broken@example.net>\nSubject: Broken MIME boundary\nDate: " + stamp
         + "\nMessage-ID: <broken-mime@example.net>\nMIME-Version: 1.0\n"
         + 'Content-Type: multipart/mixed; boundary="declared-boundary"\n\n'
         + "--other-boundary\nContent-Type: text/plain\n\npart that never closes\n").encode(),
        ("From: No Id <noid@example.net>\nSubject: A message without Message-ID\nDate: " + stamp
         + "\n\nNo Message-ID here.\n").encode(),
        ("From: Twin <twin@example.net>\nSubject: Same Message-ID (first)\nDate: " + stamp
         + "\nMessage-ID: <same-id@example.net>\n\nFirst twin.\n").encode(),
        ("From: Twin <twin@example.net>\nSubject: Same Message-ID (second)\nDate: " + stamp
         + "\nMessage-ID: <same-id@example.net>\n\nSecond twin, different body.\n").encode(),
    ]


def mboxrd_quote(message):
    lines = message.split(b"\n")
    out = []
    for line in lines:
        stripped = line.lstrip(b">")
        out.append(b">" + line if stripped.startswith(b"From ") else line)
    return b"\n".join(out)


def from_line(sender, date):
    return f"From {sender} {date.strftime('%a %b %d %H:%M:%S %Y')}\n".encode()


def write_mbox(path, messages, truncate_last=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as out:
        for number, (sender, date, message) in enumerate(messages):
            data = mboxrd_quote(message)
            if not data.endswith(b"\n"):
                data += b"\n"
            if truncate_last and number == len(messages) - 1:
                out.write(from_line(sender, date) + data[: len(data) * 2 // 3].rstrip(b"\n"))
            else:
                out.write(from_line(sender, date) + data + b"\n")


def mbox_users(rng, root):
    for user, (name, count) in USERS.items():
        per_folder = {folder: [] for folder, _ in FOLDERS}
        for index in range(count):
            folder = rng.choices([f for f, _ in FOLDERS], [w for _, w in FOLDERS])[0]
            date = BASE_DATE + timedelta(days=index * 5 + rng.randrange(5), minutes=rng.randrange(600))
            per_folder[folder].append((user if folder in ("Sent", "Drafts") else "MAILER-DAEMON", date,
                                       make_message(rng, user, name, folder, index, date)))
        if user == "alice@example.com":
            date = BASE_DATE + timedelta(days=400)
            per_folder["INBOX"] += [("broken@example.net", date, m) for m in malformed_messages(date)]
        for folder, messages in per_folder.items():
            messages.sort(key=lambda item: item[1])
            write_mbox(os.path.join(root, user, folder + ".mbox"), messages,
                       truncate_last=(user == "bob@example.com" and folder == "Archive/2023"))


def maildir_user(rng, root):
    user, name = "dave@example.com", "Dave Roux"
    mailbox = os.path.join(root, user)
    folders = {"": "INBOX", ".Sent": "Sent", ".Projets": "Projets", ".Projets.&AMk-t&AOk- 2024": "Projets/Été 2024"}
    for directory in folders:
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(mailbox, directory, sub), exist_ok=True)
        if directory:
            open(os.path.join(mailbox, directory, "maildirfolder"), "wb").close()
    with open(os.path.join(mailbox, "dovecot-keywords"), "w") as keywords:
        keywords.write("0 $Forwarded\n1 Important\n2 $label1\n")
    flag_choices = ["S", "RS", "FS", "", "DS", "Sac"]
    for index in range(24):
        directory = list(folders)[index % len(folders)]
        date = BASE_DATE + timedelta(days=index * 7)
        message = make_message(rng, user, name, folders[directory], index, date)
        flags = flag_choices[(index // len(folders)) % len(flag_choices)] if directory == "" else "S"
        unique = f"{int(date.timestamp())}.M{index:06d}P4242Q{index}.sample,S={len(message)}"
        sub = "new" if flags == "" else "cur"
        path = os.path.join(mailbox, directory, sub, unique + ("" if sub == "new" else ":2," + flags))
        with open(path, "wb") as out:
            out.write(message)
        os.utime(path, (date.timestamp(), date.timestamp()))


def takeout_user(rng, root):
    user, name = "erin@example.com", "Erin Blanc"
    label_sets = ['Inbox,Opened', 'Inbox,Important,Opened,Category Updates', 'Sent,Opened',
                  '"Work/Projects",Inbox,Starred,Opened', 'Archived,Opened', 'Spam,Unread',
                  'Trash,Opened', '"Label, with comma",Opened', 'Drafts,Opened', 'Important,Unread']
    messages = []
    for index in range(30):
        date = BASE_DATE + timedelta(days=index * 3)
        labels = label_sets[index % len(label_sets)]
        message = make_message(rng, user, name, "INBOX", index, date)
        message = f"X-GM-THRID: {1700000000000000000 + index}\nX-Gmail-Labels: {labels}\n".encode() + message
        messages.append((f"{1700000000000000000 + index}@xxx", date, message))
    write_mbox(os.path.join(root, user + ".mbox"), messages)


def eml_user(rng, root):
    user, name = "frank@example.com", "Frank Petit"
    for index in range(12):
        folder = ["", "", "Clients/Dupont SA", "Archive"][index % 4]
        date = BASE_DATE + timedelta(days=index * 11)
        directory = os.path.join(root, user, folder)
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, f"{index + 1}.eml"), "wb") as out:
            out.write(make_message(rng, user, name, folder or "INBOX", index, date))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    output = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "plans", "examples", "data")
    output = os.path.abspath(output)
    for part in ("source", "maildir", "takeout", "eml", "pim"):
        shutil.rmtree(os.path.join(output, part), ignore_errors=True)
    rng = random.Random(SEED)
    mbox_users(rng, os.path.join(output, "source"))
    maildir_user(rng, os.path.join(output, "maildir"))
    takeout_user(rng, os.path.join(output, "takeout"))
    eml_user(rng, os.path.join(output, "eml"))
    sample_pim.write_pim(output)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(output) for f in files)
    print(f"sample data written to {output} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()

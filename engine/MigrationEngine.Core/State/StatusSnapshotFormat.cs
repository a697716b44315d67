using System.Text;

namespace MigrationEngine.Core.State;

/// <summary>What a snapshot was made from: the build, the plan, its content hash and input files, and the state's revision.</summary>
internal sealed record SnapshotHeader(string EngineVersion, string Plan, string ContentHash, IReadOnlyList<string> InputFiles, long Revision);

/// <summary>
/// The stored form of a status snapshot: a versioned binary record (at 50,000 mailboxes JSON took longer to parse than the
/// rest of status). Only this build reads what this build wrote (the header names the build), so the format can change freely.
/// </summary>
internal static class SnapshotFormat
{
    private const int Magic = 0x31535453; // "STS1"

    public static byte[] Write(SnapshotHeader header, StatusView view)
    {
        using var stream = new MemoryStream(64 + view.Rows.Count * 64);
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(header.EngineVersion);
            writer.Write(header.Plan);
            writer.Write(header.ContentHash);
            writer.Write(header.InputFiles.Count);
            foreach (var file in header.InputFiles)
            {
                writer.Write(file);
            }

            writer.Write(header.Revision);
            var t = view.Totals;
            foreach (var value in new[] { t.Copied, t.Bytes, t.AlreadyPresent, t.LeftOut, t.BadItems, t.Warnings, t.PlacedElsewhere })
            {
                writer.Write(value);
            }

            var c = view.Tally;
            foreach (var value in new[] { c.Mailboxes, c.Done, c.Failed, c.InProgress, c.Pending })
            {
                writer.Write(value);
            }

            writer.Write(view.TotalLine);
            writer.Write(view.Rows.Count);
            string? migration = null;
            foreach (var row in view.Rows)
            {
                // Rows come grouped by migration: its name is written when it changes.
                var same = row.Migration == migration;
                writer.Write(same);
                if (!same)
                {
                    writer.Write(row.Migration);
                    migration = row.Migration;
                }

                writer.Write(row.Mailbox);
                writer.Write(row.Status);
                writer.Write(row.StepsDone);
                writer.Write(row.Steps);
                writer.Write(row.Copied);
                writer.Write(row.Bytes);
                writer.Write(row.AlreadyPresent);
                writer.Write(row.LeftOut);
                writer.Write(row.BadItems);
                writer.Write(row.PlacedElsewhere);
                writer.Write(row.Error is not null);
                if (row.Error is not null)
                {
                    writer.Write(row.Error);
                }
            }
        }

        return stream.ToArray();
    }

    /// <summary>The header and view, or null when the bytes are not a whole snapshot of this format.</summary>
    public static (SnapshotHeader Header, StatusView View)? Read(byte[] bytes)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            if (reader.ReadInt32() != Magic)
            {
                return null;
            }

            var engine = reader.ReadString();
            var plan = reader.ReadString();
            var hash = reader.ReadString();
            var files = new string[Count(reader, bytes.Length)];
            for (var i = 0; i < files.Length; i++)
            {
                files[i] = reader.ReadString();
            }

            var revision = reader.ReadInt64();
            var t = new long[7];
            for (var i = 0; i < t.Length; i++)
            {
                t[i] = reader.ReadInt64();
            }

            var c = new long[5];
            for (var i = 0; i < c.Length; i++)
            {
                c[i] = reader.ReadInt64();
            }

            var line = reader.ReadString();
            var rows = new StatusRow[Count(reader, bytes.Length)];
            var migration = string.Empty;
            for (var i = 0; i < rows.Length; i++)
            {
                if (!reader.ReadBoolean())
                {
                    migration = reader.ReadString();
                }

                rows[i] = new StatusRow(migration, reader.ReadString(), reader.ReadString(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt64(),
                    reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), null)
                {
                    PlacedElsewhere = reader.ReadInt64(),
                };
                if (reader.ReadBoolean())
                {
                    rows[i] = rows[i] with { Error = reader.ReadString() };
                }
            }

            return reader.BaseStream.Position != bytes.Length
                ? null
                : (new SnapshotHeader(engine, plan, hash, files, revision),
                    new StatusView(plan, rows, new MessageAccount(t[0], t[1], t[2], t[3], t[4], t[5], t[6]), new MailboxTally(c[0], c[1], c[2], c[3], c[4]), line));
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A count that cannot ask for more items than the bytes could hold (a damaged length would allocate gigabytes).</summary>
    private static int Count(BinaryReader reader, int length)
    {
        var count = reader.ReadInt32();
        return count < 0 || count > length ? throw new FormatException("bad count") : count;
    }
}

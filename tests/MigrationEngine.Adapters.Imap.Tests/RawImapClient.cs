using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace MigrationEngine.Adapters.Imap.Tests;

/// <summary>
/// A deliberately small IMAP client over plain TCP, independent of MailKit and of the adapter under test: seeds
/// mailboxes with exact bytes and reads back exact bytes, flags and internal dates for verification.
/// </summary>
public sealed class RawImapClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly BufferedStream _reader;
    private int _tag;

    public RawImapClient(int port, string user, string password)
    {
        _tcp = new TcpClient("127.0.0.1", port);
        _stream = _tcp.GetStream();
        _reader = new BufferedStream(_stream, 65536);
        ReadLine();
        Command($"LOGIN {Quote(user)} {Quote(password)}");
    }

    public static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public void Create(string mailbox) => Command($"CREATE {Quote(Utf7(mailbox))}");

    /// <summary>IMAP's modified UTF-7 for mailbox names (RFC 3501 5.1.3).</summary>
    public static string Utf7(string name)
    {
        var output = new StringBuilder();
        for (var i = 0; i < name.Length;)
        {
            if (name[i] is >= ' ' and <= '~')
            {
                output.Append(name[i] == '&' ? "&-" : name[i].ToString());
                i++;
                continue;
            }

            var start = i;
            while (i < name.Length && name[i] is < ' ' or > '~')
            {
                i++;
            }

            var encoded = Convert.ToBase64String(Encoding.BigEndianUnicode.GetBytes(name[start..i])).TrimEnd('=').Replace('/', ',');
            output.Append('&').Append(encoded).Append('-');
        }

        return output.ToString();
    }

    public sealed record Seed(byte[] Bytes, string Flags = "", DateTimeOffset? InternalDate = null);

    /// <summary>APPENDs pipelined (LITERAL+), checking every answer.</summary>
    public void Append(string mailbox, IReadOnlyList<Seed> messages)
    {
        for (var start = 0; start < messages.Count; start += 200)
        {
            var tags = new List<string>();
            using (var buffer = new MemoryStream())
            {
                foreach (var message in messages.Skip(start).Take(200))
                {
                    var tag = "A" + (++_tag).ToString(CultureInfo.InvariantCulture);
                    tags.Add(tag);
                    var date = message.InternalDate is { } d ? $" \"{d.ToString("dd-MMM-yyyy HH:mm:ss", CultureInfo.InvariantCulture)} {(d.Offset < TimeSpan.Zero ? "-" : "+")}{d.Offset:hhmm}\"" : string.Empty;
                    var head = Encoding.UTF8.GetBytes($"{tag} APPEND {Quote(Utf7(mailbox))} ({message.Flags}){date} {{{message.Bytes.Length}+}}\r\n");
                    buffer.Write(head);
                    buffer.Write(message.Bytes);
                    buffer.Write("\r\n"u8);
                }

                buffer.Position = 0;
                buffer.CopyTo(_stream);
            }

            foreach (var tag in tags)
            {
                WaitTagged(tag);
            }
        }
    }

    public sealed record Fetched(uint Uid, byte[] Body, IReadOnlyList<string> Flags, string InternalDate);

    public IReadOnlyList<Fetched> FetchAll(string mailbox)
    {
        Command($"EXAMINE {Quote(Utf7(mailbox))}");
        var tag = Send("UID FETCH 1:* (UID FLAGS INTERNALDATE BODY.PEEK[])");
        var results = new List<Fetched>();
        while (true)
        {
            var line = ReadLine();
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                if (!line.StartsWith(tag + " OK", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(line);
                }

                return results;
            }

            if (!line.Contains(" FETCH (", StringComparison.Ordinal))
            {
                continue;
            }

            var text = line;
            byte[] body = [];
            while (text.EndsWith('}'))
            {
                var open = text.LastIndexOf('{');
                var length = int.Parse(text[(open + 1)..^1], CultureInfo.InvariantCulture);
                body = new byte[length];
                _reader.ReadExactly(body);
                text += ReadLine();
            }

            var uid = uint.Parse(Between(text, "UID ", " "), CultureInfo.InvariantCulture);
            var flags = Between(text, "FLAGS (", ")").Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(f => f != "\\Recent").OrderBy(f => f, StringComparer.Ordinal).ToList();
            var date = Between(text, "INTERNALDATE \"", "\"");
            results.Add(new Fetched(uid, body, flags, date));
        }
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        var to = text.IndexOfAny(end.ToCharArray(), from);
        return text[from..to];
    }

    public void Command(string command) => WaitTagged(Send(command));

    /// <summary>Every mailbox name with its LIST attributes, as the server answers <c>LIST "" "*"</c>.</summary>
    public IReadOnlyDictionary<string, string> List()
    {
        var tag = Send("LIST \"\" \"*\"");
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            var line = ReadLine();
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return folders;
            }

            if (line.StartsWith("* LIST (", StringComparison.Ordinal))
            {
                var attributes = Between(line, "* LIST (", ")");
                var name = line[(line.LastIndexOf(" \"/\" ", StringComparison.Ordinal) + 5)..].Trim('"');
                folders[name] = attributes;
            }
        }
    }

    private string Send(string command)
    {
        var tag = "A" + (++_tag).ToString(CultureInfo.InvariantCulture);
        _stream.Write(Encoding.UTF8.GetBytes($"{tag} {command}\r\n"));
        return tag;
    }

    private void WaitTagged(string tag)
    {
        while (true)
        {
            var line = ReadLine();
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                if (!line.StartsWith(tag + " OK", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(line);
                }

                return;
            }
        }
    }

    private string ReadLine()
    {
        var bytes = new List<byte>();
        while (true)
        {
            var b = _reader.ReadByte();
            if (b < 0)
            {
                throw new IOException("connection closed");
            }

            if (b == '\n')
            {
                break;
            }

            bytes.Add((byte)b);
        }

        if (bytes.Count > 0 && bytes[^1] == '\r')
        {
            bytes.RemoveAt(bytes.Count - 1);
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public void Dispose()
    {
        try
        {
            Send("LOGOUT");
        }
        catch (IOException)
        {
        }

        _reader.Dispose();
        _tcp.Dispose();
    }
}

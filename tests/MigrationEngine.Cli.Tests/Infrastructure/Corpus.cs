using System.Security.Cryptography;
using System.Text;

namespace MigrationEngine.Cli.Tests.Infrastructure;

/// <summary>Generated Maildir mailboxes whose exact bytes the tests know, for byte-for-byte checks of what arrives.</summary>
internal static class Corpus
{
    /// <summary>Writes <paramref name="count"/> messages per mailbox across INBOX and two subfolders; returns SHA-256 of each message per mailbox.</summary>
    public static Dictionary<string, List<string>> WriteMaildirs(string root, IEnumerable<string> mailboxes, int count, int seed = 7)
    {
        var random = new Random(seed);
        var hashes = new Dictionary<string, List<string>>();
        foreach (var mailbox in mailboxes)
        {
            var list = new List<string>();
            hashes[mailbox] = list;
            string[] folders = ["", ".Archive", ".Archive.2023"];
            foreach (var folder in folders)
            {
                foreach (var sub in new[] { "cur", "new", "tmp" })
                {
                    Directory.CreateDirectory(Path.Combine(root, mailbox, folder, sub));
                }

                if (folder.Length > 0)
                {
                    File.WriteAllText(Path.Combine(root, mailbox, folder, "maildirfolder"), string.Empty);
                }
            }

            for (var i = 0; i < count; i++)
            {
                var folder = folders[i % folders.Length];
                var bytes = Message(mailbox, i, random);
                var name = $"{1700000000 + i}.M{i}P1.test:2,{(i % 3 == 0 ? "S" : i % 3 == 1 ? "FS" : string.Empty)}";
                File.WriteAllBytes(Path.Combine(root, mailbox, folder, "cur", name), bytes);
                list.Add(Sha256(bytes));
            }
        }

        return hashes;
    }

    public static byte[] Message(string mailbox, int index, Random random)
    {
        var body = new StringBuilder();
        var lines = random.Next(5, 60);
        for (var line = 0; line < lines; line++)
        {
            body.Append("Line ").Append(line).Append(" of message ").Append(index).Append(' ').Append(new string((char)('a' + random.Next(26)), random.Next(10, 70))).Append("\r\n");
        }

        var text = $"From: sender{index % 17}@example.org\r\nTo: {mailbox}\r\nSubject: Message {index} \u00e9t\u00e9\r\nDate: Mon, 1 Jan 2024 10:{index % 60:00}:00 +0000\r\nMessage-ID: <{index}.{mailbox}@corpus.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}";
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>SHA-256 of every message file in a Maildir++ tree (cur and new of the root and of every subfolder).</summary>
    public static List<string> HashMaildirTree(string mailboxRoot)
    {
        if (!Directory.Exists(mailboxRoot))
        {
            return [];
        }

        return Directory.EnumerateFiles(mailboxRoot, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) is "cur" or "new")
            .Select(f => Sha256(File.ReadAllBytes(f)))
            .ToList();
    }

    /// <summary>The Message-ID header of every message file in a Maildir++ tree (one per file, empty when it has none).</summary>
    public static List<string> MessageIdsInMaildirTree(string mailboxRoot) =>
        !Directory.Exists(mailboxRoot)
            ? []
            : Directory.EnumerateFiles(mailboxRoot, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) is "cur" or "new")
                .Select(f => File.ReadLines(f).TakeWhile(line => line.Length > 0)
                    .FirstOrDefault(line => line.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))?["Message-ID:".Length..].Trim() ?? string.Empty)
                .ToList();

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

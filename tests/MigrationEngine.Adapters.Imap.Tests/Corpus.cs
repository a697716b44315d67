using System.Security.Cryptography;
using System.Text;

namespace MigrationEngine.Adapters.Imap.Tests;

public static class Corpus
{
    public static byte[] Message(string subject, string? messageId, string body = "Hello.\r\n", string extraHeaders = "")
    {
        var id = messageId is null ? string.Empty : $"Message-ID: <{messageId}>\r\n";
        return Encoding.UTF8.GetBytes($"From: Alice <alice@example.test>\r\nTo: Bob <bob@example.test>\r\nSubject: {subject}\r\nDate: Mon, 3 Mar 2025 10:00:00 +0100\r\n{id}{extraHeaders}\r\n{body}");
    }

    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

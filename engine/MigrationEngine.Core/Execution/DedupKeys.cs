using System.Security.Cryptography;
using System.Text;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// How a message is recognised in a target when the ledger does not know it (state lost, crash after append,
/// UIDVALIDITY change): by Message-ID, or by a hash of key headers when there is none (as imapsync does).
/// Every adapter computes keys through this class so that sources and targets agree.
/// </summary>
public static class DedupKeys
{
    /// <summary>The key of a message listed by an <see cref="IContentKeySource"/>: known once its bytes are fetched.</summary>
    public const string FromContent = "";

    public static string Compute(string? messageId, string? date, string? from, string? subject)
    {
        var id = NormalizeMessageId(messageId);
        if (id is not null)
        {
            return OfMessageId(id);
        }

        var text = string.Join('\n', Collapse(date), Collapse(from), Collapse(subject));
        return "hh:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    /// <summary>
    /// The key of a message whose Message-ID, already normalized by <see cref="NormalizeMessageId"/>, is <paramref name="normalizedId"/>:
    /// what <see cref="Compute"/> returns for it whatever the other fields, for callers that normalized the id anyway and
    /// need not read the other fields (normalizing is not idempotent: "&lt;&lt;a&gt;&gt;" becomes "&lt;a&gt;", then "a").
    /// </summary>
    public static string OfMessageId(string normalizedId) => "id:" + normalizedId;

    /// <summary>Trims, removes angle brackets and folding whitespace; null when empty.</summary>
    public static string? NormalizeMessageId(string? messageId)
    {
        if (string.IsNullOrWhiteSpace(messageId))
        {
            return null;
        }

        var text = Collapse(messageId).Trim();
        if (text.StartsWith('<') && text.EndsWith('>') && text.Length > 2)
        {
            text = text[1..^1];
        }

        text = text.Trim();
        return text.Length == 0 ? null : text;
    }

    private static string Collapse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var ch in value)
        {
            if (ch is '\r' or '\n' or '\t' or ' ')
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(ch);
        }

        return builder.ToString();
    }
}

namespace MigrationEngine.Core.Execution.Gmail;

/// <summary>
/// With X-GM-LABELS every label folder is served from All Mail, so with <c>labelCopies: each</c> a message with two labels
/// would be fetched twice. The first fetch keeps its bytes in a temporary file for the other copies, which read them from
/// there; a file goes when its last copy has read it, the folder when the mailbox's last connection closes. Messages above
/// <see cref="MaxKeptBytes"/> are fetched again instead.
/// </summary>
internal sealed class GmailBodyCache : IDisposable
{
    public const long MaxKeptBytes = 32L * 1024 * 1024;

    private readonly object _gate = new();
    private readonly Dictionary<string, (string File, int Remaining)> _kept = new(StringComparer.Ordinal);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "migrate-gmail-" + Guid.NewGuid().ToString("N"));

    /// <summary>The kept bytes of a message, taking one of its uses; null when none are kept.</summary>
    public byte[]? Take(string sourceId)
    {
        lock (_gate)
        {
            if (!_kept.TryGetValue(sourceId, out var entry))
            {
                return null;
            }

            var bytes = File.ReadAllBytes(entry.File);
            if (entry.Remaining <= 1)
            {
                _kept.Remove(sourceId);
                File.Delete(entry.File);
            }
            else
            {
                _kept[sourceId] = (entry.File, entry.Remaining - 1);
            }

            return bytes;
        }
    }

    /// <summary>Keeps a message's bytes for <paramref name="uses"/> more copies.</summary>
    public void Keep(string sourceId, byte[] bytes, int uses)
    {
        if (uses <= 0 || bytes.LongLength > MaxKeptBytes)
        {
            return;
        }

        lock (_gate)
        {
            Directory.CreateDirectory(_directory);
            var file = Path.Combine(_directory, _kept.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(file, bytes);
            _kept[sourceId] = (file, uses);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _kept.Clear();
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
    }
}

using System.Text;

namespace MigrationEngine.Adapters.Files.Common;

/// <summary>
/// Collects a header section line by line with bounded memory, the same way for an mbox being scanned and for a
/// message file being verified, so both read the same Message-ID, Date, From and Subject. Lines are kept whole while
/// the section is under 1 MB; after that only the fields the engine reads (and their continuation lines) are kept,
/// so a field after a huge header still counts, as it does for an IMAP server that parses the whole section. The
/// decisions depend on whole lines only, so a line handed over in pieces gives the same result. Over 4 MB kept, the
/// rest is dropped and <see cref="Truncated"/> says so.
/// </summary>
internal sealed class HeaderSectionCollector
{
    public const int WholeBytes = 1024 * 1024;
    public const int MaxBytes = 4 * WholeBytes;

    private static readonly byte[][] WantedFields = [.. new[] { "message-id:", "date:", "from:", "subject:", "x-gmail-labels:", "status:", "x-status:" }.Select(Encoding.ASCII.GetBytes)];

    private readonly MemoryStream _section = new();
    private bool _keepLine;
    private bool _keptField = true;

    public bool Truncated { get; private set; }

    public ReadOnlySpan<byte> Section => _section.GetBuffer().AsSpan(0, (int)_section.Length);

    public void Reset()
    {
        _section.SetLength(0);
        _keepLine = false;
        _keptField = true;
        Truncated = false;
    }

    /// <summary>Adds a piece of a header line; <paramref name="lineStart"/> is true for a line's first piece.</summary>
    public void Add(ReadOnlySpan<byte> part, bool lineStart)
    {
        if (lineStart)
        {
            var continuation = part.Length > 0 && part[0] is (byte)' ' or (byte)'\t';
            if (_section.Length < WholeBytes)
            {
                _keepLine = true;
            }
            else
            {
                _keepLine = continuation ? _keptField : IsWanted(part);
            }

            if (!continuation)
            {
                _keptField = _keepLine;
            }
        }

        if (!_keepLine || part.IsEmpty)
        {
            return;
        }

        var room = MaxBytes - (int)_section.Length;
        if (part.Length > room)
        {
            Truncated = true;
            part = part[..Math.Max(0, room)];
        }

        _section.Write(part);
    }

    private static bool IsWanted(ReadOnlySpan<byte> line)
    {
        foreach (var field in WantedFields)
        {
            if (line.Length >= field.Length && Ascii.EqualsIgnoreCase(line[..field.Length], field))
            {
                return true;
            }
        }

        return false;
    }
}

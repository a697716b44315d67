using System.Security.Cryptography;
using MigrationEngine.Core.State;
using MigrationEngine.Core.Validation;

namespace MigrationEngine.Core.Loading;

/// <summary>
/// Keeps the shape of a plan's parsed YAML tree beside the plan (<c>.migrate/&lt;plan file&gt;.tree</c>), so that later
/// commands on the same plan text build the tree without YamlDotNet. YamlDotNet's first parse in a process costs tens of
/// milliseconds of CPU whatever the plan (its parser compiles a regular expression with <c>RegexOptions.Compiled</c>, which
/// emits and JIT-compiles code, and loads its types), a good part of a no-op <c>apply</c>.
/// <para>
/// The file holds no text of the plan: only node kinds, positions, styles and lengths. Every scalar's value is sliced
/// back out of the plan text at its position, so a plan is kept only when each scalar is written verbatim (plain, or
/// quoted without escapes, on one line); block scalars and escapes are parsed every time. The file is bound to the exact
/// plan bytes and this build (<see cref="Validation.SchemaValidationCache.Key"/>); any mismatch, damage or failure to read
/// or write means parsing, as without it. It is only written where a <c>.migrate</c> folder already exists (apply makes
/// it, 0700), and only for a plan text that parsed without a single diagnostic.
/// </para>
/// </summary>
internal static class PlanTreeCache
{
    private const int Magic = 0x31545450; // "PTT1"
    private const byte ScalarKind = 0;
    private const byte MappingKind = 1;
    private const byte SequenceKind = 2;

    /// <summary>Where the tree of the plan file at <paramref name="fullPath"/> is kept (its folder may not exist).</summary>
    public static string PathFor(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath) ?? ".", ".migrate", Path.GetFileName(fullPath) + ".tree");

    /// <summary>The shape of <paramref name="root"/> for <paramref name="key"/>, or null when a scalar is not a verbatim slice of <paramref name="text"/>.</summary>
    public static byte[]? Encode(YamlTreeMapping root, string key, string text)
    {
        var lines = LineStarts(text);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(key);
            writer.Write(text.Length);
            if (!Write(writer, root, text, lines, 0))
            {
                return null;
            }
        }

        // A damaged file must read as nothing, never as another plan: the bytes end with their own SHA-256.
        stream.Write(SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length)));
        return stream.ToArray();
    }

    /// <summary>The tree <paramref name="bytes"/> describe for <paramref name="text"/> under <paramref name="key"/>; null when they do not fit it.</summary>
    public static YamlTreeMapping? Decode(byte[] bytes, string key, string text)
    {
        try
        {
            var payload = bytes.Length - SHA256.HashSizeInBytes;
            if (payload <= 0 || !SHA256.HashData(bytes.AsSpan(0, payload)).AsSpan().SequenceEqual(bytes.AsSpan(payload)))
            {
                return null;
            }

            using var reader = new BinaryReader(new MemoryStream(bytes, 0, payload, writable: false), System.Text.Encoding.UTF8);
            if (reader.ReadInt32() != Magic || reader.ReadString() != key || reader.ReadInt32() != text.Length)
            {
                return null;
            }

            var root = Read(reader, text, LineStarts(text), 0) as YamlTreeMapping;
            return reader.BaseStream.Position == payload ? root : null;
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The kept tree of the plan file at <paramref name="fullPath"/> for this text, or null.</summary>
    public static YamlTreeMapping? TryLoad(string fullPath, string key, string text) =>
        !SchemaValidationCache.TurnedOff() && TryReadFile(fullPath) is { } bytes ? Decode(bytes, key, text) : null;

    /// <summary>Whether a tree for <paramref name="key"/> is kept for the plan file (the header only; the start-up uses it to skip warming YamlDotNet).</summary>
    public static bool Has(string fullPath, string key)
    {
        if (SchemaValidationCache.TurnedOff())
        {
            return false;
        }

        try
        {
            using var stream = new FileStream(PathFor(fullPath), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
            return reader.ReadInt32() == Magic && reader.ReadString() == key;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether a tree would be kept for the plan file: only where its <c>.migrate</c> folder exists, and never with the
    /// caches turned off (MIGRATE_CACHE_DIR=off, <see cref="SchemaValidationCache.TurnedOff"/>).
    /// </summary>
    public static bool CanKeep(string fullPath) => !SchemaValidationCache.TurnedOff() && Directory.Exists(Path.GetDirectoryName(PathFor(fullPath)));

    /// <summary>Keeps <paramref name="bytes"/> for the plan file when its <c>.migrate</c> folder exists; a failure only means parsing next time.</summary>
    public static void Save(string fullPath, byte[] bytes)
    {
        var path = PathFor(fullPath);
        if (!CanKeep(fullPath))
        {
            return;
        }

        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, PrivateFiles.CreateOptions()))
            {
                stream.Write(bytes);
            }

            // Readers see the old file or the new one, never half of one (rename within the folder).
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Left behind: harmless, it is never read.
            }
        }
    }

    private static byte[]? TryReadFile(string fullPath)
    {
        try
        {
            var path = PathFor(fullPath);
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static bool Write(BinaryWriter writer, YamlTreeNode node, string text, List<int> lines, int depth)
    {
        if (depth > YamlTreeReader.MaxDepth)
        {
            return false;
        }

        switch (node)
        {
            case YamlTreeScalar scalar:
                if (ValueStart(scalar.Style, scalar.Line, scalar.Column, scalar.Value.Length, text, lines) is not { } start
                    || !text.AsSpan(start, scalar.Value.Length).SequenceEqual(scalar.Value))
                {
                    return false;
                }

                writer.Write(ScalarKind);
                writer.Write7BitEncodedInt(scalar.Line);
                writer.Write7BitEncodedInt(scalar.Column);
                writer.Write((byte)scalar.Style);
                writer.Write7BitEncodedInt(scalar.Value.Length);
                return true;
            case YamlTreeMapping mapping:
                writer.Write(MappingKind);
                writer.Write7BitEncodedInt(mapping.Line);
                writer.Write7BitEncodedInt(mapping.Column);
                writer.Write(mapping.IsFlow);
                writer.Write7BitEncodedInt(mapping.Entries.Count);
                foreach (var entry in mapping.Entries)
                {
                    if (!Write(writer, entry.Key, text, lines, depth + 1) || !Write(writer, entry.Value, text, lines, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            case YamlTreeSequence sequence:
                writer.Write(SequenceKind);
                writer.Write7BitEncodedInt(sequence.Line);
                writer.Write7BitEncodedInt(sequence.Column);
                writer.Write(sequence.IsFlow);
                writer.Write7BitEncodedInt(sequence.Items.Count);
                foreach (var item in sequence.Items)
                {
                    if (!Write(writer, item.Value, text, lines, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private static YamlTreeNode Read(BinaryReader reader, string text, List<int> lines, int depth)
    {
        if (depth > YamlTreeReader.MaxDepth)
        {
            throw new FormatException("too deep");
        }

        var kind = reader.ReadByte();
        var line = reader.Read7BitEncodedInt();
        var column = reader.Read7BitEncodedInt();
        switch (kind)
        {
            case ScalarKind:
                var style = (YamlScalarStyle)reader.ReadByte();
                var length = reader.Read7BitEncodedInt();
                var start = ValueStart(style, line, column, length, text, lines) ?? throw new FormatException("scalar outside the text");
                return new YamlTreeScalar(text.Substring(start, length), style, line, column);
            case MappingKind:
                var mapping = new YamlTreeMapping(line, column, reader.ReadBoolean());
                var entries = Count(reader, text.Length);
                for (var i = 0; i < entries; i++)
                {
                    var key = Read(reader, text, lines, depth + 1) as YamlTreeScalar ?? throw new FormatException("key is not a scalar");
                    mapping.Entries.Add(new YamlTreeEntry(key, Read(reader, text, lines, depth + 1)));
                }

                return mapping;
            case SequenceKind:
                var sequence = new YamlTreeSequence(line, column, reader.ReadBoolean());
                var items = Count(reader, text.Length);
                for (var i = 0; i < items; i++)
                {
                    sequence.Items.Add(new YamlTreeSequenceItem(Read(reader, text, lines, depth + 1)));
                }

                return sequence;
            default:
                throw new FormatException("unknown node kind");
        }
    }

    /// <summary>A count that cannot ask for more nodes than the text could hold.</summary>
    private static int Count(BinaryReader reader, int textLength)
    {
        var count = reader.Read7BitEncodedInt();
        return count < 0 || count > textLength + 1 ? throw new FormatException("bad count") : count;
    }

    /// <summary>
    /// Where a scalar's value starts in the text: at its position when plain, one character further (after the quote, with
    /// the closing quote right after the value) when quoted; null for block scalars and for anything outside the text.
    /// </summary>
    private static int? ValueStart(YamlScalarStyle style, int line, int column, int length, string text, List<int> lines)
    {
        if (line < 1 || line > lines.Count || column < 1)
        {
            return null;
        }

        var at = lines[line - 1] + column - 1;
        switch (style)
        {
            case YamlScalarStyle.Plain:
                return at + length <= text.Length ? at : null;
            case YamlScalarStyle.SingleQuoted or YamlScalarStyle.DoubleQuoted:
                var quote = style == YamlScalarStyle.SingleQuoted ? '\'' : '"';
                return at + length + 1 < text.Length && text[at] == quote && text[at + length + 1] == quote ? at + 1 : null;
            default:
                return null;
        }
    }

    /// <summary>The index of each line's first character (line 1 at index 0).</summary>
    private static List<int> LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            starts.Add(i + 1);
        }

        return starts;
    }
}

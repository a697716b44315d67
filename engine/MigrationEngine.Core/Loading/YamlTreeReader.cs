using System.Text;
using System.Text.RegularExpressions;
using MigrationEngine.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MigrationEngine.Core.Loading;

/// <summary>
/// Turns YAML text into a <see cref="YamlTreeDocument"/> using YamlDotNet's event parser. The tree is built with an
/// explicit stack (never recursion), nesting is bounded, aliases are rejected (no alias bomb can expand) and
/// duplicate keys are reported; every problem becomes a diagnostic, never an exception.
/// </summary>
public static partial class YamlTreeReader
{
    /// <summary>Deepest nesting accepted; a plan needs about eight levels.</summary>
    public const int MaxDepth = 64;

    /// <summary>Largest plan file accepted (bytes, or characters for text); mailbox lists this large belong in CSVs.</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes strict UTF-8; reports a BOM (warning), invalid bytes and oversize files. Null when unusable.</summary>
    public static string? DecodeUtf8(ReadOnlySpan<byte> bytes, string file, DiagnosticBag diagnostics)
    {
        if (bytes.Length > MaxFileBytes)
        {
            diagnostics.Add(DiagnosticCatalog.FileTooLarge, SourceLocation.None(file), null, (long)bytes.Length, (long)MaxFileBytes);
            return null;
        }

        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            diagnostics.Add(DiagnosticCatalog.ByteOrderMark, new SourceLocation(file, 1, 1));
            bytes = bytes[3..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var offset = ex.Index >= 0 ? ex.Index : FindInvalidUtf8(bytes);
            var (line, column) = LineAndColumnOfByte(bytes, offset);
            var badByte = offset >= 0 && offset < bytes.Length ? bytes[offset] : (byte)0;
            diagnostics.Add(DiagnosticCatalog.NotUtf8, new SourceLocation(file, line, column), null, badByte, offset);
            return null;
        }
    }

    private static int FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out var read, out _, replaceInvalidSequences: false);
        return status == System.Buffers.OperationStatus.Done ? 0 : read;
    }

    private static (int Line, int Column) LineAndColumnOfByte(ReadOnlySpan<byte> bytes, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }

    /// <summary>Parses YAML text. Returns null (with diagnostics) when the document cannot be represented.</summary>
    /// <param name="text">The YAML.</param>
    /// <param name="file">The display path for diagnostics.</param>
    /// <param name="diagnostics">Receives the findings.</param>
    /// <param name="keepComments">
    /// Collect comments for the formatter. Off for validation: YamlDotNet's scanner is less robust with comment
    /// tokens enabled (it rejects some valid documents), and validation does not need them.
    /// </param>
    public static YamlTreeDocument? Parse(string text, string file, DiagnosticBag diagnostics, bool keepComments = false)
    {
        if (text.Length > MaxFileBytes)
        {
            diagnostics.Add(DiagnosticCatalog.FileTooLarge, SourceLocation.None(file), null, (long)text.Length, (long)MaxFileBytes);
            return null;
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            diagnostics.Add(DiagnosticCatalog.ByteOrderMark, new SourceLocation(file, 1, 1));
            text = text[1..];
        }

        if (!CheckTabs(text, file, diagnostics))
        {
            return null;
        }

        var builder = new TreeBuilder(file, diagnostics);
        Mark lastGood = Mark.Empty;
        try
        {
            var parser = new Parser(new Scanner(new StringReader(text), skipComments: !keepComments));
            while (parser.MoveNext())
            {
                lastGood = parser.Current!.End;
                if (!builder.Accept(parser.Current!))
                {
                    return null;
                }
            }
        }
        catch (YamlException ex)
        {
            diagnostics.Add(DiagnosticCatalog.YamlSyntax, new SourceLocation(file, (int)ex.Start.Line, (int)ex.Start.Column), null, CleanMessage(ex.Message));
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException
                                       or NullReferenceException or FormatException or OverflowException or KeyNotFoundException)
        {
            // YamlDotNet occasionally fails with a non-YAML exception on malformed input (e.g. an unclosed flow
            // mapping at the end of the file); it is still the user's syntax, so point at the last good position.
            diagnostics.Add(DiagnosticCatalog.YamlSyntax, new SourceLocation(file, Math.Max(1, (int)lastGood.Line), Math.Max(1, (int)lastGood.Column)),
                null, "the YAML is malformed after this point (check for unclosed brackets, braces or quotes)");
            return null;
        }

        if (builder.Root is null)
        {
            diagnostics.Add(DiagnosticCatalog.EmptyFile, new SourceLocation(file, 1, 1));
            return null;
        }

        return new YamlTreeDocument(builder.Root, builder.HeaderComments, builder.PendingComments.Select(c => c.Text).ToList());
    }

    private static string CleanMessage(string message)
    {
        var cleaned = LocationPrefix().Replace(message, string.Empty).Trim();
        return cleaned.Length == 0 ? "invalid YAML" : cleaned;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex LocationPrefix();

    /// <summary>YAML forbids tabs in indentation; YamlDotNet's own message for it is obscure, so report it first.</summary>
    private static bool CheckTabs(string text, string file, DiagnosticBag diagnostics)
    {
        var ok = true;
        var line = 1;
        var atLineStart = true;
        var column = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                column = 1;
                atLineStart = true;
                continue;
            }

            if (atLineStart)
            {
                if (c == '\t')
                {
                    // Only indentation followed by content counts; a tab-only line is harmless.
                    var j = i;
                    while (j < text.Length && (text[j] == '\t' || text[j] == ' '))
                    {
                        j++;
                    }

                    if (j < text.Length && text[j] != '\n' && text[j] != '\r')
                    {
                        diagnostics.Add(DiagnosticCatalog.TabIndentation, new SourceLocation(file, line, column));
                        ok = false;
                    }

                    atLineStart = false;
                }
                else if (c != ' ' && c != '-' && c != '?' && c != ':')
                {
                    atLineStart = false;
                }
            }

            column++;
        }

        return ok;
    }

    private sealed class Frame(YamlTreeNode container)
    {
        public YamlTreeNode Container { get; } = container;

        public YamlTreeEntry? PendingEntry { get; set; }

        public Dictionary<string, int>? KeyLines { get; set; }

        public bool SkipValue { get; set; }
    }

    private sealed class TreeBuilder(string file, DiagnosticBag diagnostics)
    {
        private readonly List<Frame> _stack = [];
        private object? _lastCommentTarget;
        private int _documents;
        private long _lastEventLine;

        public YamlTreeNode? Root { get; private set; }

        public List<(string Text, int Line)> PendingComments { get; } = [];

        public List<string> HeaderComments { get; } = [];

        public bool Accept(ParsingEvent parsingEvent)
        {
            // End events carry the position of whatever closed them (often the next line's "-"), so only content counts.
            if (parsingEvent is Scalar or MappingStart or SequenceStart)
            {
                _lastEventLine = parsingEvent.End.Line;
            }

            switch (parsingEvent)
            {
                case StreamStart or StreamEnd or DocumentEnd:
                    return true;
                case DocumentStart documentStart:
                    _documents++;
                    if (_documents > 1)
                    {
                        diagnostics.Add(DiagnosticCatalog.MultipleDocuments, Where(documentStart));
                        return false;
                    }

                    return true;
                case Comment comment:
                    var text = comment.Value.Trim();

                    // "Inline" only means something precedes the comment on its line; that may be a bare "- ".
                    if (comment.IsInline && _lastCommentTarget is not null && comment.Start.Line == _lastEventLine)
                    {
                        SetTrailing(_lastCommentTarget, text);
                    }
                    else
                    {
                        PendingComments.Add((text, (int)comment.Start.Line));
                    }

                    return true;
                case AnchorAlias alias:
                    diagnostics.Add(DiagnosticCatalog.AliasNotAllowed, Where(alias), null, alias.Value.Value);
                    return false;
                case Scalar scalar:
                    if (!CheckTag(scalar, scalar.Tag))
                    {
                        return false;
                    }

                    var style = scalar.Style switch
                    {
                        ScalarStyle.SingleQuoted => YamlScalarStyle.SingleQuoted,
                        ScalarStyle.DoubleQuoted => YamlScalarStyle.DoubleQuoted,
                        ScalarStyle.Literal => YamlScalarStyle.Literal,
                        ScalarStyle.Folded => YamlScalarStyle.Folded,
                        _ => YamlScalarStyle.Plain,
                    };
                    return Add(new YamlTreeScalar(scalar.Value, style, (int)scalar.Start.Line, (int)scalar.Start.Column));
                case MappingStart mappingStart:
                    if (!CheckTag(mappingStart, mappingStart.Tag) || !CheckDepth(mappingStart))
                    {
                        return false;
                    }

                    var mapping = new YamlTreeMapping((int)mappingStart.Start.Line, (int)mappingStart.Start.Column, mappingStart.Style == MappingStyle.Flow);
                    if (!Add(mapping))
                    {
                        return false;
                    }

                    _stack.Add(new Frame(mapping));
                    return true;
                case SequenceStart sequenceStart:
                    if (!CheckTag(sequenceStart, sequenceStart.Tag) || !CheckDepth(sequenceStart))
                    {
                        return false;
                    }

                    var sequence = new YamlTreeSequence((int)sequenceStart.Start.Line, (int)sequenceStart.Start.Column, sequenceStart.Style == SequenceStyle.Flow);
                    if (!Add(sequence))
                    {
                        return false;
                    }

                    _stack.Add(new Frame(sequence));
                    return true;
                case MappingEnd or SequenceEnd:
                    _stack.RemoveAt(_stack.Count - 1);
                    return true;
                default:
                    return true;
            }
        }

        private SourceLocation Where(ParsingEvent e) => new(file, (int)e.Start.Line, (int)e.Start.Column);

        private bool CheckDepth(ParsingEvent e)
        {
            if (_stack.Count + 1 > MaxDepth)
            {
                diagnostics.Add(DiagnosticCatalog.NestingTooDeep, Where(e), null, MaxDepth);
                return false;
            }

            return true;
        }

        private bool CheckTag(ParsingEvent e, YamlDotNet.Core.TagName tag)
        {
            if (tag.IsEmpty || tag.IsNonSpecific)
            {
                return true;
            }

            diagnostics.Add(DiagnosticCatalog.TagNotAllowed, Where(e), null, tag.Value);
            return false;
        }

        private static void SetTrailing(object target, string text)
        {
            switch (target)
            {
                case YamlTreeEntry entry:
                    entry.TrailingComment = entry.TrailingComment is null ? text : entry.TrailingComment + " " + text;
                    break;
                case YamlTreeSequenceItem item:
                    item.TrailingComment = item.TrailingComment is null ? text : item.TrailingComment + " " + text;
                    break;
            }
        }

        private List<string> TakeComments(int nextLine)
        {
            var taken = new List<string>(PendingComments.Count);
            if (Root is YamlTreeMapping { Entries.Count: 0 } && _stack.Count == 1 && PendingComments.Count > 0)
            {
                // Comments at the very top that are separated from the first key by a blank line (and the
                // yaml-language-server modeline) belong to the file, not to the first key.
                var headerEnd = -1;
                for (var i = 0; i < PendingComments.Count; i++)
                {
                    var following = i + 1 < PendingComments.Count ? PendingComments[i + 1].Line : nextLine;
                    if (following > PendingComments[i].Line + 1)
                    {
                        headerEnd = i;
                    }
                }

                for (var i = 0; i < PendingComments.Count; i++)
                {
                    var text = PendingComments[i].Text;
                    if (i <= headerEnd || text.StartsWith("yaml-language-server:", StringComparison.Ordinal))
                    {
                        HeaderComments.Add(text);
                    }
                    else
                    {
                        taken.Add(text);
                    }
                }
            }
            else
            {
                foreach (var comment in PendingComments)
                {
                    taken.Add(comment.Text);
                }
            }

            PendingComments.Clear();
            return taken;
        }

        private bool Add(YamlTreeNode node)
        {
            if (_stack.Count == 0)
            {
                Root ??= node;
                return true;
            }

            var frame = _stack[^1];
            if (frame.Container is YamlTreeSequence sequence)
            {
                var item = new YamlTreeSequenceItem(node);
                item.LeadingComments.AddRange(TakeComments(node.Line));
                sequence.Items.Add(item);
                _lastCommentTarget = item;
                return true;
            }

            var mapping = (YamlTreeMapping)frame.Container;
            if (frame.PendingEntry is null && !frame.SkipValue)
            {
                if (node is not YamlTreeScalar key)
                {
                    diagnostics.Add(DiagnosticCatalog.NonStringKey, new SourceLocation(file, node.Line, node.Column));
                    return false;
                }

                frame.KeyLines ??= new Dictionary<string, int>(StringComparer.Ordinal);
                if (frame.KeyLines.TryGetValue(key.Value, out var firstLine))
                {
                    diagnostics.Add(DiagnosticCatalog.DuplicateKey, new SourceLocation(file, key.Line, key.Column), null, key.Value, firstLine);
                    frame.SkipValue = true;
                    return true;
                }

                frame.KeyLines[key.Value] = key.Line;
                var entry = new YamlTreeEntry(key, key);
                entry.LeadingComments.AddRange(TakeComments(key.Line));
                frame.PendingEntry = entry;
                _lastCommentTarget = entry;
                return true;
            }

            if (frame.SkipValue)
            {
                // The duplicate's value is parsed (it may be a whole subtree) but kept out of the tree.
                frame.SkipValue = false;
                return true;
            }

            var pending = frame.PendingEntry!;
            pending.Value = node;
            mapping.Entries.Add(pending);
            frame.PendingEntry = null;
            return true;
        }
    }
}

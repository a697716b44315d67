using MigrationEngine.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MigrationEngine.Core.Loading;

/// <summary>The tree builder: YamlDotNet's events onto an explicit stack of open containers, each node with its position.</summary>
public static partial class YamlTreeReader
{
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
                        diagnostics.Add(Diagnose.MultipleDocuments(Where(documentStart)));
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
                    diagnostics.Add(Diagnose.AliasNotAllowed(Where(alias), alias.Value.Value));
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
                diagnostics.Add(Diagnose.NestingTooDeep(Where(e), MaxDepth));
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

            diagnostics.Add(Diagnose.TagNotAllowed(Where(e), tag.Value));
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
                    diagnostics.Add(Diagnose.NonStringKey(new SourceLocation(file, node.Line, node.Column)));
                    return false;
                }

                frame.KeyLines ??= new Dictionary<string, int>(StringComparer.Ordinal);
                if (frame.KeyLines.TryGetValue(key.Value, out var firstLine))
                {
                    diagnostics.Add(Diagnose.DuplicateKey(new SourceLocation(file, key.Line, key.Column), key.Value, firstLine));
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

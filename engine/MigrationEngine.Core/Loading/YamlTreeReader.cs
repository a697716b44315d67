using System.Text;
using System.Text.RegularExpressions;
using MigrationEngine.Core.Diagnostics;
using YamlDotNet.Core;

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
            diagnostics.Add(Diagnose.FileTooLarge(SourceLocation.None(file), (long)bytes.Length, (long)MaxFileBytes));
            return null;
        }

        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            diagnostics.Add(Diagnose.ByteOrderMark(new SourceLocation(file, 1, 1)));
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
            diagnostics.Add(Diagnose.NotUtf8(new SourceLocation(file, line, column), badByte, offset));
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
            diagnostics.Add(Diagnose.FileTooLarge(SourceLocation.None(file), (long)text.Length, (long)MaxFileBytes));
            return null;
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            diagnostics.Add(Diagnose.ByteOrderMark(new SourceLocation(file, 1, 1)));
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
            diagnostics.Add(Diagnose.YamlSyntax(new SourceLocation(file, (int)ex.Start.Line, (int)ex.Start.Column), CleanMessage(ex.Message),
                hint: "check that indentation uses spaces only, that brackets and quotes are closed, and that a space follows each colon"));
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException
                                       or NullReferenceException or FormatException or OverflowException or KeyNotFoundException)
        {
            // YamlDotNet occasionally fails with a non-YAML exception on malformed input (e.g. an unclosed flow
            // mapping at the end of the file); it is still the user's syntax, so point at the last good position.
            diagnostics.Add(Diagnose.YamlSyntax(new SourceLocation(file, Math.Max(1, (int)lastGood.Line), Math.Max(1, (int)lastGood.Column)),
                "what follows this point is malformed", hint: "look for an unclosed bracket, brace or quote"));
            return null;
        }

        if (builder.Root is null)
        {
            diagnostics.Add(Diagnose.EmptyFile(new SourceLocation(file, 1, 1)));
            return null;
        }

        return new YamlTreeDocument(builder.Root, builder.HeaderComments, builder.PendingComments.Select(c => c.Text).ToList());
    }

    private static string CleanMessage(string message)
    {
        // It ends the sentence MIG0001 starts: "... the YAML parser stopped here: while scanning ...".
        var cleaned = LocationPrefix().Replace(message, string.Empty).Trim();
        return cleaned.Length == 0 ? "invalid YAML"
            : cleaned.Length > 1 && char.IsUpper(cleaned[0]) && char.IsLower(cleaned[1]) ? char.ToLowerInvariant(cleaned[0]) + cleaned[1..]
            : cleaned;
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
                        diagnostics.Add(Diagnose.TabIndentation(new SourceLocation(file, line, column)));
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
}

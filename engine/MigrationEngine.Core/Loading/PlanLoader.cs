using System.Text;
using MigrationEngine.Core.Diagnostics;

namespace MigrationEngine.Core.Loading;

/// <summary>
/// The Load stage for the plan file: bytes (bounded, so a device or a huge file cannot exhaust memory), UTF-8 text, and the
/// positioned YAML tree (<see cref="YamlTreeReader"/>). Nothing here knows what a plan means; the mailbox CSVs a plan names
/// are read by <see cref="CsvMailboxFile"/> when the Bind stage reaches them. Never throws for anything the user wrote.
/// </summary>
public static class PlanLoader
{
    private const string ReadHint = "check the path, and that the file is a regular file this user may read";

    /// <summary>Reads the plan file; null (with a diagnostic) when it is missing, too large, unreadable or not UTF-8.</summary>
    /// <param name="path">The plan file.</param>
    /// <param name="display">How diagnostics name the file (the path as the user typed it).</param>
    /// <param name="diagnostics">Receives what went wrong.</param>
    public static PlanText? Read(string path, string display, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                diagnostics.Add(Diagnose.FileUnreadable(SourceLocation.None(display),
                    Directory.Exists(path) ? "the path names a folder, not a file" : "no file exists at this path", hint: ReadHint));
                return null;
            }

            if (info.Length > YamlTreeReader.MaxFileBytes)
            {
                diagnostics.Add(Diagnose.FileTooLarge(SourceLocation.None(display), info.Length, (long)YamlTreeReader.MaxFileBytes));
                return null;
            }

            bytes = ReadBounded(path);
            if (bytes.Length > YamlTreeReader.MaxFileBytes)
            {
                // A device or pipe reports no length up front: the bounded read catches it.
                diagnostics.Add(Diagnose.FileTooLarge(SourceLocation.None(display), (long)bytes.Length, (long)YamlTreeReader.MaxFileBytes));
                return null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // The operating system's message names the path at most; the file's text is never read into a diagnostic.
            diagnostics.Add(Diagnose.FileUnreadable(SourceLocation.None(display), ex.Message, hint: ReadHint));
            return null;
        }

        var text = YamlTreeReader.DecodeUtf8(bytes, display, diagnostics);
        return text is null ? null : new PlanText(text, bytes, path, display);
    }

    /// <summary>Plan text given directly, as if it were the file at <paramref name="path"/>.</summary>
    public static PlanText FromText(string yamlText, string path, string display)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        return new PlanText(yamlText, Encoding.UTF8.GetBytes(yamlText), path, display);
    }

    /// <summary>The plan's root mapping; null (with a diagnostic) when the YAML is broken or its root is not a mapping.</summary>
    public static YamlTreeMapping? Parse(PlanText plan, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var document = YamlTreeReader.Parse(plan.Text, plan.Display, diagnostics);
        if (document?.Root is null)
        {
            return null;
        }

        if (document.Root is not YamlTreeMapping root)
        {
            diagnostics.Add(Diagnose.RootNotMapping(new SourceLocation(plan.Display, document.Root.Line, document.Root.Column)));
            return null;
        }

        return root;
    }

    private static byte[] ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > YamlTreeReader.MaxFileBytes)
            {
                break;
            }
        }

        return buffer.ToArray();
    }
}

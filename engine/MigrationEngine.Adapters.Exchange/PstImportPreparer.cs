using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.State;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>
/// <c>type: pst</c> with <c>engine: importService</c>: checks the PST files and mailboxes, writes Microsoft's PST Import Service mapping
/// CSV beside the plan and gives the AzCopy command that uploads the files. The import job itself is created by an admin in the
/// Microsoft Purview portal (there is no cmdlet for it).
/// </summary>
internal sealed partial class PstImportPreparer(ExchangeExecutorOptions options)
{
    public const string MappingHeader = "Workload,FilePath,Name,Mailbox,IsArchive,TargetRootFolder,ContentCodePage,SPFileContainer,SPManifestContainer,SPSiteUrl";

    private static readonly byte[] PstMagic = "!BDN"u8.ToArray();

    public sealed record PstMapping(string Mailbox, string LocalPath, string FilePath, string Name, string TargetRootFolder);

    public async Task RunAsync(NativeMigrationContext context, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var plan = context.Plan;
        var migration = context.Migration;
        var source = plan.Sources[migration.From];
        var mappings = Collect(plan, migration, source, diagnostics);
        var mappingFile = Path.Combine(plan.PlanDirectory, options.PstImportFolder, ExchangePlanBuilder.LimitName(migration.Name) + ".csv");
        var upload = UploadCommand(source.Path!);
        foreach (var step in context.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (mappings is null)
            {
                await context.SaveStepAsync(step, StepStatus.Failed, "PST files or mailboxes are invalid", null);
                return;
            }

            switch (step.Kind)
            {
                case StepKind.EnsureEndpoint:
                    await context.SaveStepAsync(step, StepStatus.Succeeded, null, JsonSerializer.Serialize(new
                    {
                        files = mappings.Count,
                        bytes = mappings.Sum(m => new FileInfo(m.LocalPath).Length),
                        mailboxes = mappings.Select(m => m.Mailbox).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
                    }));
                    break;
                case StepKind.EnsureBatch:
                    var text = MappingCsv(mappings);
                    Directory.CreateDirectory(Path.GetDirectoryName(mappingFile)!);
                    var changed = !File.Exists(mappingFile) || await File.ReadAllTextAsync(mappingFile, cancellationToken) != text;
                    if (changed)
                    {
                        await File.WriteAllTextAsync(mappingFile, text, new UTF8Encoding(false), cancellationToken);
                    }

                    await context.SaveStepAsync(step, StepStatus.Succeeded, null, JsonSerializer.Serialize(new { mapping_file = mappingFile, rows = mappings.Count, action = changed ? "written" : "unchanged" }));
                    break;
                case StepKind.StartBatch:
                    context.Logger.Information("PST import: upload the files with {Command}, then create the import job from {MappingFile}", upload, mappingFile);
                    diagnostics.Add(DiagnosticCatalog.PstImportReady.Create(migration.Location, "the SAS URL is on the 'Import PST files' page of the portal (network upload)", mappings.Count, mappingFile, upload));
                    await context.SaveStepAsync(step, StepStatus.Succeeded, null, JsonSerializer.Serialize(new { upload_command = upload, mapping_file = mappingFile }));
                    break;
                case StepKind.CompleteBatch:
                    await context.SaveStepAsync(step, StepStatus.Succeeded, null, JsonSerializer.Serialize(new { action = "import-job-created-by-admin", mapping_file = mappingFile }));
                    break;
            }
        }
    }

    /// <summary>AzCopy v10 uploads the folder itself, so the container gets a folder of that name: the mapping's FilePath.</summary>
    public static string UploadCommand(string path) => File.Exists(path)
        ? $"azcopy copy \"{path}\" \"<SAS URL>\""
        : $"azcopy copy \"{Path.TrimEndingDirectorySeparator(path)}\" \"<SAS URL>\" --recursive=true";

    public static string MappingCsv(IEnumerable<PstMapping> mappings)
    {
        var text = new StringBuilder(MappingHeader).Append("\r\n");
        foreach (var mapping in mappings)
        {
            string[] cells = ["Exchange", mapping.FilePath, mapping.Name, mapping.Mailbox, "FALSE", mapping.TargetRootFolder, string.Empty, string.Empty, string.Empty, string.Empty];
            text.Append(string.Join(',', cells.Select(CsvDocument.Quote))).Append("\r\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// The PST files of each mailbox: the source path itself when it is one .pst (a single mailbox), else
    /// <c>PATH/&lt;source address&gt;.pst</c> and every .pst in <c>PATH/&lt;source address&gt;/</c>.
    /// </summary>
    public static List<PstMapping>? Collect(PlanModel plan, MigrationDefinition migration, EndpointDefinition source, List<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Count(d => d.IsError);
        var root = source.Path!;
        var mailboxes = PlanCompiler.MailboxesOf(plan, migration);
        var targetRoot = TargetRootFolder(migration, diagnostics);
        var mappings = new List<PstMapping>();
        var singleFile = File.Exists(root);
        if (singleFile && mailboxes.Count != 1)
        {
            diagnostics.Add(DiagnosticCatalog.PstFileProblem.Create(source.Location, "point path at a folder holding <address>.pst files", root, "(several)",
                $"the path is one file but the migration lists {mailboxes.Count} mailboxes"));
            return null;
        }

        if (!singleFile && !Directory.Exists(root))
        {
            diagnostics.Add(DiagnosticCatalog.PstFileProblem.Create(source.Location, "check the source's path (relative to the plan's folder)", root, "(all)", "the folder does not exist"));
            return null;
        }

        var uploadFolder = singleFile ? string.Empty : Path.GetFileName(Path.TrimEndingDirectorySeparator(root));
        foreach (var mailbox in mailboxes)
        {
            if (!AddressPattern().IsMatch(mailbox.TargetAddress))
            {
                diagnostics.Add(DiagnosticCatalog.PstMailboxProblem.Create(mailbox.Location, "write the mailbox's primary SMTP address", mailbox.TargetAddress, "is not an email address"));
                continue;
            }

            var files = new List<(string Path, string Folder)>();
            if (singleFile)
            {
                files.Add((root, uploadFolder));
            }
            else
            {
                var direct = Path.Combine(root, mailbox.SourceAddress + ".pst");
                if (File.Exists(direct))
                {
                    files.Add((direct, uploadFolder));
                }

                var folder = Path.Combine(root, mailbox.SourceAddress);
                if (Directory.Exists(folder))
                {
                    files.AddRange(Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".pst", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)
                        .Select(f => (f, uploadFolder + "/" + mailbox.SourceAddress)));
                }
            }

            if (files.Count == 0)
            {
                diagnostics.Add(DiagnosticCatalog.PstFileProblem.Create(mailbox.Location, "name the file after the mailbox's source address", Path.Combine(root, mailbox.SourceAddress + ".pst"), mailbox.TargetAddress, "does not exist (nor a folder of .pst files of that name)"));
                continue;
            }

            foreach (var (path, folder) in files)
            {
                if (Check(path) is { } problem)
                {
                    diagnostics.Add(DiagnosticCatalog.PstFileProblem.Create(mailbox.Location, null, path, mailbox.TargetAddress, problem));
                    continue;
                }

                mappings.Add(new PstMapping(mailbox.TargetAddress, path, folder, Path.GetFileName(path), targetRoot));
            }
        }

        return diagnostics.Count(d => d.IsError) > errors ? null : mappings;
    }

    /// <summary>Why a file cannot be imported, or null: it must be a readable Outlook data file (.pst, starting with !BDN).</summary>
    public static string? Check(string path)
    {
        if (!path.EndsWith(".pst", StringComparison.OrdinalIgnoreCase))
        {
            return "the import service takes only .pst files";
        }

        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> head = stackalloc byte[4];
            if (stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4 || !head.SequenceEqual(PstMagic))
            {
                return "is not an Outlook data file (no !BDN signature)";
            }

            return stream.Length > 20L * 1024 * 1024 * 1024 ? "is larger than 20 GB, the import service's limit per file" : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "cannot be read: " + ex.Message;
        }
    }

    /// <summary>TargetRootFolder: blank imports into a new "Imported" folder; folders.map with "/" as key names another root.</summary>
    private static string TargetRootFolder(MigrationDefinition migration, List<Diagnostic> diagnostics)
    {
        var root = string.Empty;
        foreach (var (from, to) in migration.Folders.Map)
        {
            if (from is "/" or "")
            {
                root = "/" + to.Trim('/');
            }
            else
            {
                diagnostics.Add(DiagnosticCatalog.PstFolderRuleIgnored.Create(migration.Location, "map \"/\" to choose the folder the PST's folders go under",
                    migration.Name, $"folders.map '{from}' -> '{to}' is ignored: the import service keeps the PST's folder tree"));
            }
        }

        if (migration.Folders.Include.Count + migration.Folders.Exclude.Count > 0)
        {
            diagnostics.Add(DiagnosticCatalog.PstFolderRuleIgnored.Create(migration.Location, null, migration.Name, "folders.include/exclude are ignored: the import service imports whole PST files (filter after import with the portal's options)"));
        }

        return root;
    }

    [GeneratedRegex(@"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")]
    private static partial Regex AddressPattern();
}

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

    /// <summary>
    /// "You can have a maximum of 500 rows in the CSV mapping file. To import more than 500 PST files, you'll have to create multiple mapping
    /// files and create multiple import jobs." https://learn.microsoft.com/purview/use-network-upload-to-import-pst-files
    /// </summary>
    public const int MaxRowsPerMappingFile = 500;

    private static readonly byte[] PstMagic = "!BDN"u8.ToArray();

    public sealed record PstMapping(string Mailbox, string LocalPath, string FilePath, string Name, string TargetRootFolder, bool IsArchive = false);

    public async Task RunAsync(NativeMigrationContext context, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var plan = context.Plan;
        var migration = context.Migration;
        var source = plan.Sources[migration.From];
        var mappings = Collect(plan, migration, source, diagnostics);
        var jobs = mappings is null ? [] : mappings.Chunk(MaxRowsPerMappingFile).ToList();
        var mappingFiles = Enumerable.Range(0, Math.Max(1, jobs.Count))
            .Select(i => Path.Combine(plan.PlanDirectory, options.PstImportFolder, ExchangePlanBuilder.LimitName(migration.Name) + (i == 0 ? string.Empty : "-" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)) + ".csv"))
            .ToList();
        var mappingFile = mappingFiles[0];
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
                    var changed = false;
                    for (var job = 0; job < mappingFiles.Count; job++)
                    {
                        var text = MappingCsv(job < jobs.Count ? jobs[job] : []);
                        Directory.CreateDirectory(Path.GetDirectoryName(mappingFiles[job])!);
                        if (!File.Exists(mappingFiles[job]) || await File.ReadAllTextAsync(mappingFiles[job], cancellationToken) != text)
                        {
                            await File.WriteAllTextAsync(mappingFiles[job], text, new UTF8Encoding(false), cancellationToken);
                            changed = true;
                        }
                    }

                    await context.SaveStepAsync(step, StepStatus.Succeeded, null, JsonSerializer.Serialize(new { mapping_file = mappingFile, mapping_files = mappingFiles, rows = mappings.Count, action = changed ? "written" : "unchanged" }));
                    break;
                case StepKind.StartBatch:
                    context.Logger.Information("PST import: upload the files with {Command}, then create the import job from {MappingFile}", upload, mappingFile);
                    diagnostics.Add(Diagnose.PstImportReady(migration.Location,
                        mappings.Count, string.Join(", ", mappingFiles), upload,
                            hint: mappingFiles.Count == 1 ? "the SAS URL is on the 'Import PST files' page of the portal (network upload)" : $"create one import job per mapping file ({mappingFiles.Count}): a job takes at most 500 rows"));
                    await context.SaveStepAsync(step, StepStatus.Succeeded, null, JsonSerializer.Serialize(new { upload_command = upload, mapping_file = mappingFile }));
                    break;
                case StepKind.CompleteBatch:
                    await context.SaveStepAsync(step, StepStatus.Succeeded, null, JsonSerializer.Serialize(new { action = "import-job-created-by-admin", mapping_file = mappingFile }));
                    break;
            }
        }
    }

    /// <summary>
    /// AzCopy uploads a folder, never a single file ("You must specify a directory as the source location ...; you can't specify an individual
    /// PST file. All PST files in the source directory will be uploaded." https://learn.microsoft.com/purview/use-network-upload-to-import-pst-files).
    /// AzCopy v10 creates the folder itself in the container: its name is the mapping's FilePath. A source path that is one .pst uploads its folder.
    /// </summary>
    public static string UploadCommand(string path) =>
        $"azcopy copy \"{UploadFolder(path)}\" \"<SAS URL>\" --recursive=true";

    private static string UploadFolder(string path) => Path.TrimEndingDirectorySeparator(File.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path))! : path);

    public static string MappingCsv(IEnumerable<PstMapping> mappings)
    {
        var text = new StringBuilder(MappingHeader).Append("\r\n");
        foreach (var mapping in mappings)
        {
            string[] cells = ["Exchange", mapping.FilePath, mapping.Name, mapping.Mailbox, mapping.IsArchive ? "TRUE" : "FALSE", mapping.TargetRootFolder, string.Empty, string.Empty, string.Empty, string.Empty];
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
            diagnostics.Add(Diagnose.PstFileProblem(source.Location, root, "(several)",
                $"the path is one file but the migration lists {mailboxes.Count} mailboxes",
                    hint: "point path at a folder holding <address>.pst files"));
            return null;
        }

        if (!singleFile && !Directory.Exists(root))
        {
            diagnostics.Add(Diagnose.PstFileProblem(source.Location, root, "(all)", "the folder does not exist",
                hint: "check the source's path (relative to the plan's folder)"));
            return null;
        }

        var uploadFolder = Path.GetFileName(UploadFolder(root));
        // IsArchive TRUE imports into the user's archive mailbox (exchange.mailboxType: archiveOnly).
        var archive = migration.Exchange.MailboxType == MailboxScope.ArchiveOnly;
        foreach (var mailbox in mailboxes)
        {
            if (!AddressPattern().IsMatch(mailbox.TargetAddress))
            {
                diagnostics.Add(Diagnose.PstMailboxProblem(mailbox.Location, mailbox.TargetAddress, "is not an email address",
                    hint: "write the mailbox's primary SMTP address"));
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
                diagnostics.Add(Diagnose.PstFileProblem(mailbox.Location, Path.Combine(root, mailbox.SourceAddress + ".pst"), mailbox.TargetAddress, "does not exist (nor a folder of .pst files of that name)",
                    hint: "name the file after the mailbox's source address"));
                continue;
            }

            foreach (var (path, folder) in files)
            {
                if (Check(path) is { } problem)
                {
                    diagnostics.Add(Diagnose.PstFileProblem(mailbox.Location, path, mailbox.TargetAddress, problem));
                    continue;
                }

                mappings.Add(new PstMapping(mailbox.TargetAddress, path, folder, Path.GetFileName(path), targetRoot, archive));
            }
        }

        // "The file name of each PST file in the mapping file for an import job must be unique" (the Name column; case-sensitive values,
        // compared without case here so that a case-insensitive file system cannot hide a clash).
        foreach (var clash in mappings.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            var first = clash.First();
            foreach (var other in clash.Skip(1))
            {
                diagnostics.Add(Diagnose.PstNameNotUnique(migration.Location,
                    other.Name, first.LocalPath, other.LocalPath,
                        hint: "rename the files so that each name is unique (for example <address>-2019.pst)"));
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
                diagnostics.Add(Diagnose.PstFolderRuleIgnored(migration.Location,
                    migration.Name, $"folders.map '{from}' -> '{to}' is ignored: the import service keeps the PST's folder tree",
                        hint: "map \"/\" to choose the folder the PST's folders go under"));
            }
        }

        if (migration.Folders.Include.Count + migration.Folders.Exclude.Count > 0)
        {
            diagnostics.Add(Diagnose.PstFolderRuleIgnored(migration.Location, migration.Name, "folders.include/exclude are ignored: the import service imports whole PST files (filter after import with the portal's options)"));
        }

        return root;
    }

    [GeneratedRegex(@"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")]
    private static partial Regex AddressPattern();
}

namespace MigrationEngine.Adapters.Exchange.Tests;

[Trait("Category", "Server")]
public sealed class PstImportTests : IDisposable
{
    private readonly ExchangeTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private void PreparePlan()
    {
        var path = Path.Combine(_bed.PlanFolder, "pst.yaml");
        File.WriteAllText(path, File.ReadAllText(path).Replace("engine: readpst", "engine: importService", StringComparison.Ordinal));
        var folder = Directory.CreateDirectory(Path.Combine(_bed.PlanFolder, "data", "pst")).FullName;
        File.Copy("/work/shared/data/pst/ruby-msg_attachAndInline.pst", Path.Combine(folder, "ellen.adams@northwind.com.pst"));
        Directory.CreateDirectory(Path.Combine(folder, "tom.wilson@northwind.com"));
        File.Copy("/work/shared/data/pst/java-libpst_dist-list.pst", Path.Combine(folder, "tom.wilson@northwind.com", "2019.pst"));
        File.Copy("/work/shared/data/pst/ruby-msg_msgInMsg.pst", Path.Combine(folder, "tom.wilson@northwind.com", "2020.pst"));
    }

    [Fact]
    public async Task Pst_example_with_the_import_service_writes_microsofts_mapping_file_and_the_upload_command()
    {
        PreparePlan();
        var plan = _bed.LoadPlan("pst.yaml");

        var summary = await _bed.ApplyAsync(plan, _bed.Options());

        Assert.False(summary.Diagnostics.Any(d => d.IsError), string.Join("\n", summary.Diagnostics));
        var mapping = File.ReadAllLines(Path.Combine(_bed.PlanFolder, ".migrate", "pst-import", "pst-import.csv"));
        Assert.Equal(
        [
            "Workload,FilePath,Name,Mapping,IsArchive,TargetRootFolder,ContentCodePage,SPFileContainer,SPManifestContainer,SPSiteUrl".Replace("Mapping", "Mailbox", StringComparison.Ordinal),
            "Exchange,pst,ellen.adams@northwind.com.pst,ellen.adams@northwind.com,FALSE,,,,,",
            "Exchange,pst/tom.wilson@northwind.com,2019.pst,tom.wilson@northwind.com,FALSE,,,,,",
            "Exchange,pst/tom.wilson@northwind.com,2020.pst,tom.wilson@northwind.com,FALSE,,,,,",
        ], mapping);
        var ready = Assert.Single(summary.Diagnostics, d => d.Code == "MIG1122");
        Assert.Contains("azcopy copy \"" + Path.Combine(_bed.PlanFolder, "data", "pst") + "\" \"<SAS URL>\" --recursive=true", ready.Message, StringComparison.Ordinal);
        // The folder map Inbox -> Imported/Inbox cannot be honoured by the service: a warning says so.
        Assert.Contains(summary.Diagnostics, d => d.Code == "MIG1123");
        var steps = await _bed.StepsAsync(plan.Name);
        Assert.Contains("azcopy copy", steps["start-batch/pst-import"].ResultJson!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_pst_or_a_missing_file_is_reported_with_the_mailbox_it_belongs_to()
    {
        PreparePlan();
        var folder = Path.Combine(_bed.PlanFolder, "data", "pst");
        File.Delete(Path.Combine(folder, "ellen.adams@northwind.com.pst"));
        File.WriteAllText(Path.Combine(folder, "tom.wilson@northwind.com", "2019.pst"), "not a pst");
        var plan = _bed.LoadPlan("pst.yaml");

        var summary = await _bed.ApplyAsync(plan, _bed.Options());

        var errors = summary.Diagnostics.Where(d => d.IsError).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("MIG1120", e.Code));
        Assert.Contains(errors, e => e.Message.Contains("ellen.adams@northwind.com.pst", StringComparison.Ordinal) && e.Message.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("2019.pst", StringComparison.Ordinal) && e.Message.Contains("!BDN", StringComparison.Ordinal));
        Assert.All(errors, e => Assert.True(e.Line > 0));
        Assert.False(File.Exists(Path.Combine(_bed.PlanFolder, ".migrate", "pst-import", "pst-import.csv")));
    }
}

[Trait("Category", "Server")]
public sealed class PstImportServiceRulesTests : IDisposable
{
    private readonly ExchangeTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private string PreparePlan(string extra = "")
    {
        var path = Path.Combine(_bed.PlanFolder, "pst.yaml");
        File.WriteAllText(path, File.ReadAllText(path).Replace("engine: readpst", "engine: importService", StringComparison.Ordinal)
            .Replace("      folders:\n        map:\n          Inbox: Imported/Inbox\n", extra, StringComparison.Ordinal));
        var folder = Directory.CreateDirectory(Path.Combine(_bed.PlanFolder, "data", "pst")).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "ellen.adams@northwind.com"));
        Directory.CreateDirectory(Path.Combine(folder, "tom.wilson@northwind.com"));
        return folder;
    }

    private static string Mapping(string folder, string name) => File.ReadAllText(Path.Combine(folder, ".migrate", "pst-import", name));

    [Fact]
    public async Task Archive_imports_set_IsArchive_and_more_than_500_files_make_several_mapping_files()
    {
        var folder = PreparePlan("      exchange:\n        mailboxType: archiveOnly\n");
        File.Copy("/work/shared/data/pst/ruby-msg_attachAndInline.pst", Path.Combine(folder, "ellen.adams@northwind.com.pst"));
        for (var i = 0; i < 501; i++)
        {
            // Links, not copies: 501 files of 265 KB each would be written for nothing.
            File.CreateSymbolicLink(Path.Combine(folder, "tom.wilson@northwind.com", $"archive-{i:D3}.pst"), "/work/shared/data/pst/java-libpst_dist-list.pst");
        }

        var summary = await _bed.ApplyAsync(_bed.LoadPlan("pst.yaml"), _bed.Options());

        Assert.False(summary.Diagnostics.Any(d => d.IsError), string.Join("\n", summary.Diagnostics));
        var first = Mapping(_bed.PlanFolder, "pst-import.csv").Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var second = Mapping(_bed.PlanFolder, "pst-import-2.csv").Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(501, first.Length);
        Assert.Equal(3, second.Length);
        Assert.Equal(PstImportPreparer.MappingHeader, second[0]);
        Assert.All(first.Skip(1).Concat(second.Skip(1)), row => Assert.Equal("TRUE", row.Split(',')[4]));
        Assert.Contains(summary.Diagnostics, d => d.Code == "MIG1122" && d.Message.Contains("pst-import-2.csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pst_file_names_must_be_unique_in_an_import_job()
    {
        var folder = PreparePlan();
        File.Copy("/work/shared/data/pst/ruby-msg_attachAndInline.pst", Path.Combine(folder, "ellen.adams@northwind.com", "2019.pst"));
        File.Copy("/work/shared/data/pst/java-libpst_dist-list.pst", Path.Combine(folder, "tom.wilson@northwind.com", "2019.pst"));

        var summary = await _bed.ApplyAsync(_bed.LoadPlan("pst.yaml"), _bed.Options());

        var error = Assert.Single(summary.Diagnostics, d => d.IsError);
        Assert.Equal("MIG1136", error.Code);
        Assert.Contains("2019.pst", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AzCopy_always_uploads_a_folder()
    {
        var folder = PreparePlan();
        var file = Path.Combine(folder, "ellen.adams@northwind.com.pst");
        File.Copy("/work/shared/data/pst/ruby-msg_attachAndInline.pst", file);

        Assert.Equal($"azcopy copy \"{folder}\" \"<SAS URL>\" --recursive=true", PstImportPreparer.UploadCommand(file));
        Assert.Equal($"azcopy copy \"{folder}\" \"<SAS URL>\" --recursive=true", PstImportPreparer.UploadCommand(folder + Path.DirectorySeparatorChar));
    }
}

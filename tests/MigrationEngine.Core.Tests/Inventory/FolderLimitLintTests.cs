using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Inventory;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Tests.Inventory;

/// <summary>Exchange Online's folder limits (subfolders per folder, depth), found from the inventory at their exact edges.</summary>
[Trait("Category", "Unit")]
public sealed class FolderLimitLintTests
{
    private static readonly SourceLocation At = new("/plans/limits.yaml", 1, 1);

    [Fact]
    public void A_folder_with_more_than_10000_subfolders_is_an_error_and_10000_are_not()
    {
        var folders = new List<FolderInventory> { Folder("INBOX", SpecialUse.Inbox) };
        folders.AddRange(Enumerable.Range(0, 10_001).Select(i => Folder($"Projects/p{i}")));
        folders.AddRange(Enumerable.Range(0, 10_000).Select(i => Folder($"Clients/c{i}")));
        var findings = InventoryLint.Check(Plan(), [Mailbox(folders)]);

        var finding = Assert.Single(findings, d => d.Code == "MIG1426");
        Assert.Equal(DiagnosticSeverity.Error, finding.Severity);
        Assert.Contains("folder 'Projects' would get 10,001 subfolders in the target; Exchange Online allows at most 10,000", finding.Message, StringComparison.Ordinal);
        Assert.Equal("/plans/limits.yaml", finding.Location.File);
    }

    [Fact]
    public void A_folder_301_levels_deep_is_an_error_and_300_levels_are_not()
    {
        var deep = string.Join('/', Enumerable.Range(0, 301).Select(i => $"l{i}"));
        var limit = string.Join('/', Enumerable.Range(0, 300).Select(i => $"m{i}"));
        var findings = InventoryLint.Check(Plan(), [Mailbox([Folder(deep), Folder(limit)])]);

        var finding = Assert.Single(findings, d => d.Code == "MIG1425");
        Assert.Contains("is 301 levels deep; Exchange Online allows at most 300", finding.Message, StringComparison.Ordinal);
    }

    private static MailboxInventory Mailbox(IReadOnlyList<FolderInventory> folders) =>
        new() { Migration = "move", Source = "ann@old.test", Target = "ann@contoso.test", Folders = folders };

    private static FolderInventory Folder(string path, SpecialUse use = SpecialUse.None) =>
        new() { Path = path, SpecialUse = use, Messages = 1, Bytes = 1000, SizeBuckets = [1, 0, 0, 0, 0] };

    private static PlanModel Plan() => new()
    {
        Name = "limits",
        PlanFile = "/plans/limits.yaml",
        ContentHash = "0",
        Sources = new Dictionary<string, EndpointDefinition> { ["old"] = new() { Name = "old", Role = EndpointRole.Source, Type = EndpointType.Imap, Location = At, CanonicalSettings = "{}" } },
        Targets = new Dictionary<string, EndpointDefinition> { ["cloud"] = new() { Name = "cloud", Role = EndpointRole.Target, Type = EndpointType.Graph, Location = At, CanonicalSettings = "{}" } },
        Migrations = [new MigrationDefinition { Name = "move", Type = MigrationType.Imap, From = "old", To = "cloud", Location = At, CanonicalSettings = "{}" }],
    };
}

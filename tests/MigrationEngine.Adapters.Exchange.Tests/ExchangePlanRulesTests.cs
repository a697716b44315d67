using MigrationEngine.Core;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Adapters.Exchange.Tests;

/// <summary>validate's rules for Exchange Online's migration service (MIG0270-MIG0280), on edited copies of the example plans.</summary>
[Trait("Category", "Unit")]
public sealed class ExchangePlanRulesTests : IDisposable
{
    private readonly ExchangeTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private IReadOnlyList<Diagnostic> Validate(string file, params (string From, string To)[] edits)
    {
        var path = Path.Combine(_bed.PlanFolder, file);
        var text = File.ReadAllText(path);
        foreach (var (from, to) in edits)
        {
            Assert.Contains(from, text, StringComparison.Ordinal);
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        File.WriteAllText(path, text);
        return PlanPipeline.Load(path).Diagnostics;
    }

    [Fact]
    public void BadItemLimit_on_an_exchange_online_batch_is_a_warning_that_explains_the_data_consistency_score()
    {
        var diagnostics = Validate("cutover.yaml", ("      notificationEmails:\n", "      badItemLimit: 10\n      notificationEmails:\n"));

        var warning = Assert.Single(diagnostics, d => d.Code == "MIG0270");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("Data Consistency Score", warning.Message, StringComparison.Ordinal);
        Assert.Contains("track-prevent-data-loss-dcs", warning.Hint, StringComparison.Ordinal);
        Assert.True(warning.Line > 0);
        Assert.DoesNotContain(diagnostics, d => d.IsError);
    }

    [Fact]
    public void Cutover_from_exchange_2016_is_a_warning_citing_both_pages()
    {
        var diagnostics = Validate("cutover.yaml", ("      version: 2013\n", "      version: 2016\n"));

        var warning = Assert.Single(diagnostics, d => d.Code == "MIG0271");
        Assert.Contains("Exchange Server 2003 or later", warning.Message, StringComparison.Ordinal);
        Assert.Contains("cutover-migration-to-office-365", warning.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain(diagnostics, d => d.IsError);
    }

    [Fact]
    public void Cutover_above_the_references_1000_mailboxes_is_a_warning()
    {
        File.WriteAllText(Path.Combine(_bed.PlanFolder, "mailboxes", "cutover.csv"),
            "EmailAddress\n" + string.Join("\n", Enumerable.Range(0, 1_001).Select(i => $"user{i}@fabrikam.com")) + "\n");

        var diagnostics = Validate("cutover.yaml");

        Assert.Contains(diagnostics, d => d.Code == "MIG0274" && d.Message.Contains("1,001", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Code == "MIG0214");
        Assert.DoesNotContain(diagnostics, d => d.IsError);
    }

    [Fact]
    public void Engine_exchange_with_a_target_that_creates_users_is_refused()
    {
        var diagnostics = Validate("exchange-imap.yaml", ("      clientSecret: env:EXO_CLIENT_SECRET\n", "      clientSecret: env:EXO_CLIENT_SECRET\n      provision:\n        createUsers: true\n"));

        Assert.Equal("MIG0272", Assert.Single(diagnostics, d => d.IsError).Code);
    }

    [Fact]
    public void Folder_rules_on_a_hybrid_batch_are_refused()
    {
        var diagnostics = Validate("hybrid.yaml", ("      complete: false\n", "      folders:\n        exclude:\n          - Junk\n      complete: false\n"));

        Assert.Equal("MIG0273", Assert.Single(diagnostics, d => d.IsError).Code);
    }

    [Fact]
    public void An_approval_must_name_a_mailbox_of_the_migration()
    {
        var diagnostics = Validate("hybrid.yaml", ("          - mailbox: chris.green@litware.com\n", "          - mailbox: chris.gren@litware.com\n"));

        var error = Assert.Single(diagnostics, d => d.IsError);
        Assert.Equal("MIG0277", error.Code);
        Assert.Contains("chris.gren@litware.com", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Google_Workspace_needs_a_routing_domain_other_than_the_users_domain()
    {
        var missing = Validate("gworkspace.yaml", ("      targetDeliveryDomain: o365.fabrikaminc.net\n", string.Empty));
        Assert.Contains(missing, d => d.Code == "MIG0279" && d.Message.Contains("required", StringComparison.Ordinal));

        File.Copy(RepoPaths.Of("plans", "examples", "gworkspace.yaml"), Path.Combine(_bed.PlanFolder, "gworkspace.yaml"), overwrite: true);
        var same = Validate("gworkspace.yaml", ("      targetDeliveryDomain: o365.fabrikaminc.net\n", "      targetDeliveryDomain: fabrikaminc.net\n"));
        Assert.Contains(same, d => d.Code == "MIG0279" && d.Message.Contains("will@fabrikaminc.net", StringComparison.Ordinal));
    }

    [Fact]
    public void Gmail_through_the_imap_migration_points_to_the_google_workspace_migration()
    {
        var diagnostics = Validate("exchange-imap.yaml", ("      preset: generic\n", "      preset: gmail\n"));

        var warning = Assert.Single(diagnostics, d => d.Code == "MIG0281");
        Assert.Contains("type: gworkspace", warning.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain(diagnostics, d => d.IsError);
    }

    [Fact]
    public void A_source_without_server_needs_autodiscover()
    {
        var diagnostics = Validate("cutover.yaml", ("      server: exch2013.fabrikam.local\n", string.Empty));

        Assert.Equal("MIG0278", Assert.Single(diagnostics, d => d.IsError).Code);
    }
}

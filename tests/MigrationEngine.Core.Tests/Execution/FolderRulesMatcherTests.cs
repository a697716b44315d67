using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Tests.Execution;

/// <summary>The <c>folders</c> rules of a migration: globs, regexes, include before exclude, map by exact path or prefix.</summary>
[Trait("Category", "Unit")]
public sealed class FolderRulesMatcherTests
{
    [Theory]
    [InlineData("Projects/*", "Projects/Alpha", true)]
    [InlineData("Projects/*", "Projects/Alpha/Notes", true)]  // a rule covers the folder's subfolders too
    [InlineData("Work*Archive", "Work-Archive", true)]
    [InlineData("Work*Archive", "Work/Old/Archive", false)]  // * stays within one level
    [InlineData("Work**Archive", "Work/Old/Archive", true)]  // ** crosses levels
    [InlineData("Projects", "Projects Old", false)]          // a subfolder is a whole level, not a prefix
    [InlineData("Archive ?024", "Archive 2024", true)]
    [InlineData("archive*", "Archive 2024", true)]           // globs ignore case, as Exchange does
    [InlineData("/^Arch.*[0-9]$/", "Archive 2024", true)]
    [InlineData("/^arch/", "Archive 2024", false)]          // a regex is case-sensitive unless written /.../i
    [InlineData("/^arch/i", "Archive 2024", true)]
    [InlineData("Archive.2024", "Archive 2024", false)]      // a dot in a glob is a dot
    public void Include_patterns_match_as_documented(string pattern, string path, bool included) =>
        Assert.Equal(included, new FolderRulesMatcher(new FolderRules { Include = [pattern] }).IsIncluded(path));

    [Fact]
    public void Exclude_wins_over_include_and_names_the_rule_that_left_the_folder_out()
    {
        var matcher = new FolderRulesMatcher(new FolderRules { Include = ["Work/**", "INBOX"], Exclude = ["Work/Old*"] });

        Assert.True(matcher.IsIncluded("Work/Current"));
        Assert.False(matcher.IsIncluded("Work/Old 2019"));
        Assert.Equal("folders.exclude 'Work/Old*'", matcher.ExclusionRule("Work/Old 2019"));
        Assert.Equal("folders.include ('Work/**', 'INBOX')", matcher.ExclusionRule("Personal"));
        Assert.Null(matcher.ExclusionRule("INBOX"));
    }

    [Fact]
    public void Map_moves_a_folder_and_its_subfolders_and_the_longest_source_wins()
    {
        var matcher = new FolderRulesMatcher(new FolderRules
        {
            Map = new Dictionary<string, string> { ["Clients"] = "Customers", ["Clients/Fabrikam"] = "Partners/Fabrikam" },
        });

        Assert.Equal("Customers", matcher.MapPath("Clients"));
        Assert.Equal("Customers/Contoso/2024", matcher.MapPath("clients/Contoso/2024"));
        Assert.Equal("Partners/Fabrikam/Invoices", matcher.MapPath("Clients/Fabrikam/Invoices"));
        // A prefix is a whole level: "ClientsOld" is not under "Clients".
        Assert.Equal("ClientsOld", matcher.MapPath("ClientsOld"));
    }

    [Fact]
    public void Assign_puts_inbox_first_keeps_roles_unless_the_plan_redirects_a_folder_and_maps_onto_inbox()
    {
        var matcher = new FolderRulesMatcher(new FolderRules
        {
            Exclude = ["Junk"],
            Map = new Dictionary<string, string> { ["Sent"] = "Old Sent", ["Incoming"] = "inbox" },
        });
        SourceFolder[] folders =
        [
            new("Work"), new("Sent", SpecialUse.Sent), new("Drafts", SpecialUse.Drafts), new("INBOX", SpecialUse.Inbox),
            new("Junk", SpecialUse.Junk), new("Incoming"),
        ];

        var assigned = matcher.Assign(folders);

        Assert.Equal(["INBOX", "Drafts", "Incoming", "Sent", "Work"], assigned.Select(a => a.Source.Path));
        Assert.Equal(SpecialUse.Drafts, assigned.Single(a => a.Source.Path == "Drafts").SpecialUse);
        // Redirected by the plan: an ordinary folder under its new name, no longer the target's Sent.
        Assert.Equal(("Old Sent", SpecialUse.None), assigned.Single(a => a.Source.Path == "Sent") is var sent ? (sent.TargetPath, sent.SpecialUse) : default);
        // Mapped onto INBOX in any case: the target's INBOX.
        Assert.Equal(("INBOX", SpecialUse.Inbox), assigned.Single(a => a.Source.Path == "Incoming") is var incoming ? (incoming.TargetPath, incoming.SpecialUse) : default);
    }

    [Fact]
    public void A_hostile_regex_cannot_hang_the_matcher()
    {
        // Non-backtracking regexes: a pattern that backtracks catastrophically elsewhere answers at once.
        var matcher = new FolderRulesMatcher(new FolderRules { Include = ["/^(a+)+$/"] });

        Assert.False(matcher.IsIncluded(new string('a', 5000) + "!"));
    }
}

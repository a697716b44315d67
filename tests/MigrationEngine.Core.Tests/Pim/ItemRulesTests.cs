using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Execution;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Pim;

/// <summary>The plan's items: default mail, refused where a source or target cannot carry a kind (naming the types that can), compiled into one step per kind.</summary>
[Trait("Category", "Unit")]
public sealed class ItemRulesTests : IDisposable
{
    private readonly TempDirectory _temp = new("me-lang");

    public void Dispose() => _temp.Dispose();

    private PlanLoadResult Load(string sourceType, string targetType, string? items, string migrationType = "import") =>
        Load($$"""
            apiVersion: migration-engine/v1
            kind: MigrationPlan
            metadata:
              name: items-test
            spec:
              sources:
                old:
                  type: {{sourceType}}
            {{(sourceType == "imap" ? "      host: imap.example.org" : "      path: src")}}
              targets:
                new:
                  type: {{targetType}}
                  path: out
              mailboxSets:
                staff:
                  mailboxes:
                    - source: alice@example.com
                      target: alice@example.com
              migrations:
                - name: move
                  type: {{migrationType}}
                  from: old
                  to: new
            {{(items is null ? "" : "      items: " + items)}}
                  mailboxSets: [staff]
            """);

    private PlanLoadResult Load(string text)
    {
        File.WriteAllText(Path.Combine(_temp.Path, "plan.yaml"), text);
        return PlanPipeline.Load(Path.Combine(_temp.Path, "plan.yaml"), "plan.yaml");
    }

    [Fact]
    public void Contacts_from_an_imap_source_are_refused_naming_the_sources_that_carry_them()
    {
        var result = Load("imap", "maildir", "[mail, contacts]", migrationType: "imap");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("MIG1600", error.Code);
        Assert.Equal(("plan.yaml", 24), (error.File, error.Line));
        Assert.Contains("source 'old' (type imap) carries mail only", error.Message, StringComparison.Ordinal);
        Assert.Contains("sources that carry contacts: mbox (layout: takeout)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ics-vcf", error.Message, StringComparison.Ordinal);
        Assert.Contains("CardDAV", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ics_vcf_source_left_at_the_default_items_is_told_to_name_contacts_and_calendar()
    {
        var result = Load("ics-vcf", "maildir", null);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("MIG1600", error.Code);
        Assert.Contains("moves mail", error.Message, StringComparison.Ordinal);
        Assert.Contains("set items: [contacts, calendar]", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Calendar_into_an_imap_target_is_refused_naming_the_targets_that_carry_it()
    {
        var result = Load("ics-vcf", "imap", "[calendar]");

        var error = Assert.Single(result.Diagnostics, d => d.Code == "MIG1601");
        Assert.Contains("targets that carry calendar: graph, maildir, ics-vcf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Items_default_to_mail_and_compile_to_one_step_per_other_kind()
    {
        var mailOnly = Load("mbox", "maildir", null);
        var everything = Load("mbox", "maildir", "[mail, contacts, calendar]");
        var pimOnly = Load("ics-vcf", "ics-vcf", "[calendar, contacts]");
        var takeout = Load(LoadText("mbox", "layout: takeout"));

        Assert.DoesNotContain(mailOnly.Diagnostics, d => d.IsError);
        Assert.Equal([ItemKind.Mail], mailOnly.Plan!.Migrations[0].Items);
        Assert.Contains(everything.Diagnostics, d => d.Code == "MIG1600");
        Assert.DoesNotContain(pimOnly.Diagnostics, d => d.IsError);
        Assert.DoesNotContain(takeout.Diagnostics, d => d.IsError);

        var graph = PlanCompiler.Compile(pimOnly.Plan!);
        Assert.Equal(["copy-calendar/move/alice@example.com", "copy-contacts/move/alice@example.com", "migration/move"], graph.Steps.Select(s => s.Id));
        Assert.Equal(["copy-calendar/move/alice@example.com"], graph["copy-contacts/move/alice@example.com"].DependsOn);

        var full = PlanCompiler.Compile(takeout.Plan!);
        Assert.Equal(["verify/move/alice@example.com"], full["copy-contacts/move/alice@example.com"].DependsOn);
        Assert.Equal(PlanCompiler.MailboxStepIds(takeout.Plan!.Migrations[0], "alice@example.com"), full.Steps.Where(s => s.Mailbox is not null).Select(s => s.Id));
    }

    private static string LoadText(string type, string extra) => $$"""
        apiVersion: migration-engine/v1
        kind: MigrationPlan
        metadata:
          name: items-takeout
        spec:
          sources:
            old:
              type: {{type}}
              path: src
              {{extra}}
          targets:
            new:
              type: maildir
              path: out
          mailboxSets:
            staff:
              mailboxes:
                - source: alice@example.com
                  target: alice@example.com
          migrations:
            - name: move
              type: import
              from: old
              to: new
              items: [mail, contacts, calendar]
              mailboxSets: [staff]
        """;
}

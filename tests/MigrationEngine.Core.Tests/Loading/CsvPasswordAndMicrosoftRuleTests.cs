using System.Text;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Loading;

/// <summary>
/// Microsoft's IMAP CSV holds plain passwords: one diagnostic per CSV (not per row) that names the CSV, accepted when the
/// set opts in for its CSV, never showing a value; a ';'-separated CSV is named as such; Microsoft's rules only where
/// the target is Exchange Online.
/// </summary>
[Trait("Category", "Unit")]
public sealed class CsvPasswordAndMicrosoftRuleTests : IDisposable
{
    private const string Secret = "Pl41n-Csv-S3cret";
    private readonly TempDirectory _temp = new("me-lang");

    public void Dispose() => _temp.Dispose();

    private static string Plan(string target = "graph", string setExtra = "", string options = "") => $$"""
        apiVersion: migration-engine/v1
        kind: MigrationPlan
        metadata:
          name: csv-test
        spec:
        {{options}}
          sources:
            old:
              type: imap
              host: imap.example.org
          targets:
            exo:
              type: graph
              tenantId: t
              clientId: c
              clientSecret: env:EXO_SECRET
            newmail:
              type: imap
              host: imap.new.example.org
          mailboxSets:
            staff:
              csv: lists/imap.csv
        {{setExtra}}
          migrations:
            - name: move
              type: imap
              from: old
              to: {{(target == "graph" ? "exo" : "newmail")}}
              mailboxSets:
                - staff
        """;

    private PlanLoadResult Load(string plan, int rows, char separator = ',', bool plain = true)
    {
        var csv = new StringBuilder($"EmailAddress{separator}UserName{separator}Password\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append('u').Append(i).Append("@contoso.com").Append(separator).Append('u').Append(i).Append(separator)
                .Append(plain ? Secret + i : "env:PW").Append('\n');
        }

        Directory.CreateDirectory(Path.Combine(_temp.Path, "lists"));
        File.WriteAllText(Path.Combine(_temp.Path, "lists", "imap.csv"), csv.ToString());
        File.WriteAllText(Path.Combine(_temp.Path, "plan.yaml"), plan);
        return PlanPipeline.Load(Path.Combine(_temp.Path, "plan.yaml"), "plan.yaml");
    }

    [Fact]
    public void Plain_passwords_draw_one_error_per_csv_naming_it()
    {
        var result = Load(Plan(), 2_000);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("MIG0402", error.Code);
        Assert.Equal(("lists/imap.csv", 2, 3), (error.File, error.Line, error.Column));
        Assert.Equal("lists/imap.csv: 2,000 row(s) hold plain passwords in the Password column (the first in row 2)", error.Message);
        Assert.Contains("allowPlaintextPasswords: true on mailbox set 'staff'", error.Hint, StringComparison.Ordinal);
        AssertNoSecret(result);
    }

    [Fact]
    public void A_set_that_opts_in_accepts_its_csv_passwords_with_one_warning()
    {
        var result = Load(Plan(setExtra: "      allowPlaintextPasswords: true"), 3);

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics, d => d.Code != "MIG0211");
        Assert.Equal("MIG1320", warning.Code);
        Assert.Equal(("plan.yaml", 23), (warning.File, warning.Line));
        Assert.StartsWith("lists/imap.csv: 3 row(s) hold plain passwords, accepted because mailboxSets.staff.allowPlaintextPasswords is true", warning.Message, StringComparison.Ordinal);
        var mailbox = result.Plan!.MailboxSets["staff"].Mailboxes[1];
        Assert.Equal(Secret + 1, mailbox.Password!.Resolve(_temp.Path));
        Assert.Equal("<literal secret>", mailbox.Password.Display);
        AssertNoSecret(result);
    }

    [Fact]
    public void The_plan_wide_opt_in_names_the_csv_too()
    {
        var result = Load(Plan(options: "  options:\n    allowPlaintextSecrets: true"), 2);

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Contains(result.Diagnostics, d => d.Code == "MIG0404");
        var warning = Assert.Single(result.Diagnostics, d => d.Code == "MIG1320");
        Assert.Contains("lists/imap.csv: 2 row(s)", warning.Message, StringComparison.Ordinal);
        Assert.Contains("spec.options.allowPlaintextSecrets", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_semicolon_separated_csv_gets_a_delimiter_hint_instead_of_missing_columns()
    {
        var result = Load(Plan(), 3, separator: ';', plain: false);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("MIG1321", error.Code);
        Assert.Equal(("lists/imap.csv", 1), (error.File, error.Line));
        Assert.Contains("';'", error.Message, StringComparison.Ordinal);
        Assert.Contains("comma", error.Hint, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code is "MIG0302" or "MIG0310");
    }

    [Fact]
    public void Microsofts_imap_rules_apply_only_to_an_exchange_online_target()
    {
        var toExchange = Load(Plan("graph"), 2, plain: false);
        Assert.Contains(toExchange.Diagnostics, d => d.Code == "MIG0211");

        var toImap = Load(Plan("imap"), 2, plain: false);
        Assert.DoesNotContain(toImap.Diagnostics, d => d.Code == "MIG0211");
        Assert.False(toImap.HasErrors, string.Join("\n", toImap.Diagnostics));
    }

    [Fact]
    public void The_50000_row_limit_is_not_applied_to_imap_to_imap()
    {
        var result = Load(Plan("imap"), 50_001, plain: false);

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "MIG0306");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics.Take(5)));
    }

    private static void AssertNoSecret(PlanLoadResult result)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            Assert.DoesNotContain("S3cret", diagnostic.ToMsBuildString(), StringComparison.Ordinal);
        }
    }
}

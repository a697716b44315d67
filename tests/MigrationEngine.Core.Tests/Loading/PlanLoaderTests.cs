using System.Text;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Loading;

[Trait("Category", "Server")]
public sealed class PlanLoaderTests : IDisposable
{
    private readonly TempDirectory _temp = new("me-lang");

    public void Dispose() => _temp.Dispose();

    private static string Example(string name) => Path.Combine(RepoPaths.Root, "plans", "examples", name);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_temp.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private const string ImapPlan = """
        apiVersion: migration-engine/v1
        kind: MigrationPlan
        metadata:
          name: test-plan
        spec:
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
          mailboxSets:
            staff:
              csv: lists/staff.csv
          migrations:
            - name: move
              type: imap
              from: old
              to: exo
              mailboxSets:
                - staff
        """;

    [Fact]
    public void Gmail_example_fills_the_model()
    {
        var result = PlanPipeline.Load(Example("gmail-to-exchange-online.yaml"), "plans/examples/gmail-to-exchange-online.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var plan = result.Plan!;
        Assert.Equal("gmail-to-exchange-online", plan.Name);
        Assert.Equal("it-ops", plan.Labels["team"]);
        Assert.True(Path.IsPathRooted(plan.PlanFile));
        Assert.Matches("^[0-9a-f]{64}$", plan.ContentHash);

        var gmail = plan.Sources["gmail"];
        Assert.Equal((EndpointType.Imap, (ImapPresetName?)ImapPresetName.Gmail, EndpointRole.Source), (gmail.Type, gmail.Preset, gmail.Role));
        Assert.Equal("{mailbox}", gmail.Auth!.Username);
        Assert.Equal(12, gmail.Location.Line);

        var exo = plan.Targets["exo"];
        Assert.Equal("env:EXO_CLIENT_SECRET", exo.ClientSecret!.Display);
        Assert.Equal(ImportMode.Mime, exo.ImportMode);

        var staff = plan.MailboxSets["staff"];
        Assert.True(Path.IsPathRooted(staff.CsvFile));
        Assert.EndsWith(Path.Combine("mailboxes", "gmail-imap.csv"), staff.CsvFile, StringComparison.Ordinal);
        Assert.Equal(3, staff.Mailboxes.Count);
        var anna = staff.Mailboxes[0];
        Assert.Equal(("anna.berg@contoso-gmail.com", "anna.berg@contoso.com"), (anna.SourceAddress, anna.TargetAddress));
        Assert.Equal(new SourceLocation("plans/examples/mailboxes/gmail-imap.csv", 2, 1), anna.Location);
        Assert.Equal(SecretKind.Environment, anna.Password!.Kind);

        var move = plan.Migrations[0];
        Assert.Equal(35L * 1024 * 1024, move.Filters.MaxMessageSize);
        Assert.Equal(new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero), move.Filters.Since);
        Assert.Equal(LabelCopyMode.Once, move.LabelCopies);
        Assert.Equal(8, move.Concurrency.Mailboxes);
        Assert.Equal("Sent Items", move.Folders.Map["[Gmail]/Sent Mail"]);
        Assert.Equal(["staff-to-exo"], plan.Migrations[1].DependsOn);
        Assert.Equal("out/gmail-summary.html", Assert.Single(plan.Reports).Output);
    }

    [Fact]
    public void Admin_credential_forms_are_recognised()
    {
        var result = PlanPipeline.Load(Example("exchange-imap.yaml"), "exchange-imap.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var entries = result.Plan!.MailboxSets["adatum"].Mailboxes;
        Assert.Equal(AdminCredentialForm.None, entries[0].AdminForm);
        Assert.Equal(AdminCredentialForm.ExchangeAdmin, entries[1].AdminForm);
        Assert.Equal("ADATUM/mig-admin/ann.beebe", entries[1].Username);
        Assert.Equal(AdminCredentialForm.MasterUser, entries[2].AdminForm);
        Assert.Equal("/users/paul.cannon", entries[2].UserRoot);
        Assert.Equal(CopyEngine.Exchange, result.Plan.Migrations[0].Engine);
        // Exchange Online's IMAP migration needs existing mailboxes: the example provisions none (MIG0272 refuses createUsers).
        Assert.Null(result.Plan.Targets["exo"].Provision);
    }

    [Fact]
    public void Staged_csv_reads_force_change_password()
    {
        var result = PlanPipeline.Load(Example("staged.yaml"), "staged.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var batch2 = result.Plan!.MailboxSets["batch2"].Mailboxes;
        Assert.True(batch2[0].ForceChangePassword);
        Assert.False(batch2[1].ForceChangePassword);
        Assert.Null(batch2[1].Password);
        Assert.Equal("2007", result.Plan.Sources["exchange2007"].Version);
    }

    [Fact]
    public void Csv_diagnostics_are_named_relative_to_the_display_path()
    {
        var planPath = Write("plan.yaml", ImapPlan);
        Write("lists/staff.csv", "EmailAddress,UserName,Password\nnot-an-address,u,env:P\n");

        var result = PlanPipeline.Load(planPath, "plans/plan.yaml");

        var diagnostic = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("plans/lists/staff.csv(2,1): error MIG0305: 'not-an-address' in column 'EmailAddress' is not a valid e-mail address", diagnostic.ToMsBuildString());
    }

    [Fact]
    public void Content_hash_covers_the_csv()
    {
        var planPath = Write("plan.yaml", ImapPlan);
        Write("lists/staff.csv", "EmailAddress,UserName,Password\na@contoso.com,a,env:P\n");
        var first = PlanPipeline.Load(planPath).Plan!.ContentHash;
        var again = PlanPipeline.Load(planPath).Plan!.ContentHash;

        Write("lists/staff.csv", "EmailAddress,UserName,Password\nb@contoso.com,b,env:P\n");
        var changed = PlanPipeline.Load(planPath).Plan!.ContentHash;

        Assert.Equal(first, again);
        Assert.NotEqual(first, changed);
    }

    [Fact]
    public void Load_text_resolves_csv_against_the_given_path()
    {
        Write("lists/staff.csv", "EmailAddress,UserName,Password\na@contoso.com,a,env:P\n");

        var result = PlanPipeline.LoadText(ImapPlan, Path.Combine(_temp.Path, "virtual.yaml"), "virtual.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal("a@contoso.com", Assert.Single(result.Plan!.MailboxSets["staff"].Mailboxes).TargetAddress);
    }

    [Fact]
    public void Imap_csv_above_50000_rows_is_an_error()
    {
        var csv = new StringBuilder("EmailAddress,UserName,Password\n");
        for (var i = 0; i < 50_001; i++)
        {
            csv.Append("u").Append(i).Append("@contoso.com,u").Append(i).Append(",env:P\n");
        }

        var planPath = Write("plan.yaml", ImapPlan);
        Write("lists/staff.csv", csv.ToString());

        var result = PlanPipeline.Load(planPath, "plan.yaml");

        var diagnostic = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("MIG0306", diagnostic.Code);
        Assert.Equal(("lists/staff.csv", 50_002), (diagnostic.File, diagnostic.Line));
    }

    [Fact]
    public void Secret_values_never_appear_in_diagnostics()
    {
        const string planSecret = "Pl4n-S3cret-Value";
        const string csvSecret = "Csv-S3cret-Value";
        var planPath = Write("plan.yaml", ImapPlan.Replace("env:EXO_SECRET", planSecret, StringComparison.Ordinal)
            .Replace("host: imap.example.org", $"host: imap.example.org\n      auth:\n        password: {planSecret}x\n        accessToken: ''", StringComparison.Ordinal));
        Write("lists/staff.csv", $"EmailAddress,UserName,Password\na@contoso.com,a,{csvSecret}\nbad,b,{csvSecret}2\n");

        var result = PlanPipeline.Load(planPath, "plan.yaml");

        Assert.True(result.HasErrors);
        Assert.Contains(result.Diagnostics, d => d.Code == "MIG0401");
        Assert.Contains(result.Diagnostics, d => d.Code == "MIG0402");
        foreach (var diagnostic in result.Diagnostics)
        {
            Assert.DoesNotContain("S3cret", diagnostic.ToMsBuildString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Opted_in_literal_secrets_load_but_stay_out_of_canonical_settings()
    {
        const string secret = "Lit3ral-Secret";
        var text = ImapPlan.Replace("env:EXO_SECRET", secret, StringComparison.Ordinal)
            .Replace("spec:\n", "spec:\n  options:\n    allowPlaintextSecrets: true\n", StringComparison.Ordinal);
        var planPath = Write("plan.yaml", text);
        Write("lists/staff.csv", $"EmailAddress,UserName,Password\na@contoso.com,a,{secret}\n");

        var result = PlanPipeline.Load(planPath, "plan.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Contains(result.Diagnostics, d => d.Code == "MIG0404");
        var exo = result.Plan!.Targets["exo"];
        Assert.Equal(SecretKind.Literal, exo.ClientSecret!.Kind);
        Assert.DoesNotContain(secret, exo.CanonicalSettings, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, exo.ClientSecret.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"clientSecret\":\"literal:", exo.CanonicalSettings, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_account_key_given_literally_stays_out_of_canonical_settings()
    {
        const string key = "{\"type\":\"service_account\",\"private_key\":\"Lit3ral-Key\"}";
        var text = ImapPlan.Replace("      host: imap.example.org\n",
                "      preset: gmail\n      auth:\n        mechanism: googleServiceAccount\n        keyFile: '" + key + "'\n", StringComparison.Ordinal)
            .Replace("spec:\n", "spec:\n  options:\n    allowPlaintextSecrets: true\n", StringComparison.Ordinal);
        var planPath = Write("plan.yaml", text);
        Write("lists/staff.csv", "EmailAddress,UserName,Password\na@contoso.com,a,env:UNUSED\n");

        var result = PlanPipeline.Load(planPath, "plan.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var old = result.Plan!.Sources["old"];
        Assert.Equal(SecretKind.Literal, old.Auth!.KeyFile!.Kind);
        Assert.DoesNotContain("Lit3ral-Key", old.CanonicalSettings, StringComparison.Ordinal);
        Assert.Contains("\"keyFile\":\"literal:", old.CanonicalSettings, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonical_settings_sort_keys_and_keep_references()
    {
        var result = PlanPipeline.Load(Example("cutover.yaml"), "cutover.yaml");

        var exo = result.Plan!.Targets["exo"];
        Assert.Equal(
            "{\"certificate\":\"file:certs/migration-app.pfx\",\"certificatePassword\":\"env:MIGRATION_CERT_PASSWORD\",\"clientId\":\"00000000-0000-0000-0000-000000000012\",\"tenantId\":\"00000000-0000-0000-0000-000000000011\",\"type\":\"graph\"}",
            exo.CanonicalSettings);
        Assert.Contains("\"version\":2013", result.Plan.Sources["onprem"].CanonicalSettings, StringComparison.Ordinal);
        Assert.StartsWith("{\"from\":\"onprem\",", result.Plan.Migrations[0].CanonicalSettings, StringComparison.Ordinal);
    }

    [Fact]
    public void Since_accepts_a_duration()
    {
        var planPath = Write("plan.yaml", ImapPlan.Replace("        - staff", "        - staff\n      filters:\n        since: 30d", StringComparison.Ordinal));
        Write("lists/staff.csv", "EmailAddress,UserName,Password\na@contoso.com,a,env:P\n");

        var since = PlanPipeline.Load(planPath).Plan!.Migrations[0].Filters.Since!.Value;

        Assert.InRange(DateTimeOffset.UtcNow - since, TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Item_locations_are_yaml_positions()
    {
        var result = PlanPipeline.Load(Example("pst.yaml"), "pst.yaml");

        var plan = result.Plan!;
        Assert.Equal(new SourceLocation("pst.yaml", 27, 13), plan.Migrations[0].Location);
        Assert.Equal(new SourceLocation("pst.yaml", 22, 11), plan.MailboxSets["archive-owners"].Mailboxes[0].Location);
        Assert.Equal(PstEngine.Readpst, plan.Sources["archives"].Engine);
        Assert.True(Path.IsPathRooted(plan.Sources["archives"].Path));
    }
}

using System.Diagnostics;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Loading;

/// <summary>Plans written by an attacker or a careless admin: paths that leave the plan's folder, files that are not files, values out of range.</summary>
[Trait("Category", "Server")]
public sealed class HostilePlanTests : IDisposable
{
    private const string Canary = "CANARY-7f3a-secret-value";
    private readonly TempDirectory _temp = new("me-lang");

    public HostilePlanTests() => Environment.SetEnvironmentVariable("HOSTILE_PLAN_CANARY", Canary);

    public void Dispose() => _temp.Dispose();

    private static string Plan(string setBody, string extraSpec = "", string filters = "", string targetPath = "out", string folders = "") => $"""
        apiVersion: migration-engine/v1
        kind: MigrationPlan
        metadata:
          name: hostile
        spec:
        {extraSpec}
          sources:
            src:
              type: maildir
              path: data
          targets:
            dst:
              type: maildir
              path: {targetPath}
          mailboxSets:
            staff:
        {setBody}
          migrations:
            - name: move
              type: import
              from: src
              to: dst
              mailboxSets: [staff]
        {filters}
        {folders}
        """;

    private PlanLoadResult Load(string plan)
    {
        var path = Path.Combine(_temp.Path, "plan.yaml");
        File.WriteAllText(path, plan);
        return PlanPipeline.Load(path, "plan.yaml");
    }

    private static void AssertError(PlanLoadResult result, string code, string? containing = null)
    {
        var all = string.Join("\n", result.Diagnostics);
        Assert.True(result.Diagnostics.Any(d => d.Code == code && d.IsError && (containing is null || d.Message.Contains(containing, StringComparison.Ordinal))), all);
        Assert.DoesNotContain(Canary, all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../../../../../proc/self/environ")]
    [InlineData("/proc/self/environ")]
    [InlineData("/etc/passwd")]
    public void A_csv_outside_the_plan_folder_is_refused_without_reading_it(string csv)
    {
        var result = Load(Plan($"      csv: {csv}"));

        AssertError(result, "MIG0230", csv);
        Assert.All(result.Diagnostics, d => Assert.True(d.Message.Length < 400, d.Message));
    }

    [Fact]
    public void A_symbolic_link_in_the_plan_folder_leading_out_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "staff.csv"), "/proc/self/environ");

        AssertError(Load(Plan("      csv: staff.csv")), "MIG0230", "symbolic link");
    }

    [Fact]
    public void An_allowed_root_lets_an_absolute_path_in()
    {
        using var scratch = new TempDirectory("me-lang");
        var outside = scratch.Path;
        File.WriteAllText(Path.Combine(outside, "staff.csv"), "EmailAddress\nalice@contoso.com\n");
        var plan = Plan($"      csv: {outside}/staff.csv", extraSpec: $"  options:\n    allowedRoots: [{outside}]");

        var result = Load(plan);

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal([outside], result.Plan!.AllowedRoots);
    }

    [Fact]
    public void A_target_path_outside_the_plan_folder_is_refused()
    {
        AssertError(Load(Plan("      mailboxes:\n        - source: a@contoso.com\n          target: a@contoso.com", targetPath: "/srv")), "MIG0230", "allowedRoots");
    }

    [Fact]
    public void A_device_named_as_csv_is_not_read()
    {
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "zero.csv"), "/dev/zero");
        var result = Load(Plan($"      csv: zero.csv", extraSpec: "  options:\n    allowedRoots: [/dev]"));

        AssertError(result, "MIG0231", "device");
    }

    [Fact]
    public void A_fifo_named_as_csv_does_not_hang_validation()
    {
        var fifo = Path.Combine(_temp.Path, "pipe.csv");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        var watch = Stopwatch.StartNew();
        var result = Load(Plan("      csv: pipe.csv"));

        AssertError(result, "MIG0231", "FIFO");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_csv_cell_is_quoted_trimmed_never_whole()
    {
        var huge = "EmailAddress," + new string('x', 5000) + Canary + "\nalice@contoso.com,1\n";
        File.WriteAllText(Path.Combine(_temp.Path, "staff.csv"), huge);

        var result = Load(Plan("      csv: staff.csv"));

        var warning = Assert.Single(result.Diagnostics, d => d.Code == "MIG0310");
        Assert.True(warning.Message.Length < 200, warning.Message);
        Assert.DoesNotContain(Canary, string.Join("\n", result.Diagnostics), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_secret_outside_the_plan_folder_is_refused_and_a_loose_one_warned()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var secret = Path.Combine(_temp.Path, "secret.txt");
        File.WriteAllText(secret, "s3cret\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        var plan = Plan("      mailboxes:\n        - source: a@contoso.com\n          target: a@contoso.com\n          password: file:secret.txt");

        var result = Load(plan);
        Assert.Contains(result.Diagnostics, d => d.Code == "MIG0410" && d.Message.Contains("0606", StringComparison.Ordinal));

        AssertError(Load(plan.Replace("file:secret.txt", "file:../../../etc/shadow", StringComparison.Ordinal)), "MIG0230");
    }

    [Theory]
    [InlineData("/srv/x@example.com")]
    [InlineData("../../x@example.com")]
    [InlineData("a/b@example.com")]
    public void An_address_that_is_a_path_is_not_an_address(string address)
    {
        AssertError(Load(Plan($"      mailboxes:\n        - source: '{address}'\n          target: a@contoso.com")), "MIG0220");
    }

    [Theory]
    [InlineData("since: 100001d", "MIG0109")]
    [InlineData("since: 99999999999999999999w", "MIG0109")]
    [InlineData("since: 0s", "MIG0109")]
    [InlineData("maxMessageSize: 99999999999999999999GB", "MIG0109")]
    [InlineData("maxMessageSize: 0B", "MIG0109")]
    [InlineData("maxMessageSize: 3GB", "MIG0109")]
    public void Numbers_out_of_range_are_errors_at_their_line(string filter, string code)
    {
        var result = Load(Plan("      mailboxes:\n        - source: a@contoso.com\n          target: a@contoso.com", filters: $"      filters:\n        {filter}"));

        AssertError(result, code);
        Assert.Contains(result.Diagnostics, d => d.Code == code && d.Line > 20);
    }

    [Fact]
    public void A_long_duration_in_seconds_is_a_duration_and_minutes_draw_a_warning()
    {
        var set = "      mailboxes:\n        - source: a@contoso.com\n          target: a@contoso.com";
        var seconds = Load(Plan(set, filters: "      filters:\n        since: 200000s"));
        Assert.False(seconds.HasErrors, string.Join("\n", seconds.Diagnostics));
        var since = seconds.Plan!.Migrations[0].Filters.Since!.Value;
        Assert.InRange(DateTimeOffset.UtcNow - since, TimeSpan.FromSeconds(199_990), TimeSpan.FromSeconds(200_100));

        var minutes = Load(Plan(set, filters: "      filters:\n        since: 2000m"));
        Assert.Contains(minutes.Diagnostics, d => d.Code == "MIG0233" && !d.IsError);
    }

    [Fact]
    public void An_invalid_folder_regex_fails_validate()
    {
        var result = Load(Plan("      mailboxes:\n        - source: a@contoso.com\n          target: a@contoso.com",
            folders: "      folders:\n        exclude: ['/([a-z/']"));

        AssertError(result, "MIG0234");
    }
}

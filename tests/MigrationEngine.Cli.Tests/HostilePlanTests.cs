using System.Diagnostics;
using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>
/// The hostile plans in <c>Hostile/</c> (one per attack the security review tried) and fixed-seed random mutations of
/// the quickstart plan, run through validate, plan and apply: exit codes 0, 1 or 2 only, no stack trace, bounded
/// time, no canary secret from the environment in any output, and nothing written outside the plan's folder.
/// </summary>
[Trait("Category", "Server")]
public sealed class HostilePlanTests
{
    private const string Canary = "CANARY-15-d0n0tl34k";
    private static readonly string[] Commands = ["validate", "plan", "apply"];

    public static TheoryData<string> HostilePlans() =>
        [.. Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "MigrationEngine.Cli.Tests", "Hostile"), "*.yaml").Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Each hostile plan runs as its own process, so the canary is in its /proc/self/environ as in a CI job's.
    /// </summary>
    [Theory]
    [MemberData(nameof(HostilePlans))]
    public async Task A_hostile_plan_is_refused_or_harmless(string name)
    {
        using var temp = new TempDirectory();
        var folder = PrepareFolder(temp);
        File.Copy(Path.Combine(RepoPaths.Root, "tests", "MigrationEngine.Cli.Tests", "Hostile", name), Path.Combine(folder, "plan.yaml"));
        var before = Listing(temp.Path, folder);

        foreach (var command in Commands)
        {
            var run = await MigrateCli.RunProcessAsync(folder, TimeSpan.FromMinutes(2),
                new Dictionary<string, string> { ["HOSTILE_CANARY"] = Canary, ["MIGRATE_CACHE_DIR"] = "off" }, command, "plan.yaml");
            AssertHarmless($"{name}, {command}", run);
        }

        Assert.Equal(before, Listing(temp.Path, folder));
        Assert.False(Directory.Exists("/srv/x@example.com"));
    }

    [Fact]
    public async Task A_fifo_as_csv_or_template_include_does_not_hang()
    {
        using var temp = new TempDirectory();
        var folder = PrepareFolder(temp);
        Mkfifo(Path.Combine(folder, "list.csv"));
        Mkfifo(Path.Combine(folder, "part.scriban"));
        File.WriteAllText(Path.Combine(folder, "report.scriban"), "{{ include 'part.scriban' }}");
        var quickstart = File.ReadAllText(Path.Combine(folder, "quickstart.yaml"));
        File.WriteAllText(Path.Combine(folder, "csv.yaml"), quickstart.Replace(
            "      mailboxes:\n        - source: alice@example.com\n          target: alice@example.com\n        - source: bob@example.com\n          target: bob@example.com\n        - source: carol@example.com\n          target: carol@example.com",
            "      csv: list.csv", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(folder, "include.yaml"), quickstart.Replace("builtin:summary.md", "report.scriban", StringComparison.Ordinal));

        var watch = Stopwatch.StartNew();
        var csv = await MigrateCli.RunAsync(folder, "validate", "csv.yaml").WaitAsync(TimeSpan.FromMinutes(1));
        AssertHarmless("fifo csv", csv);
        Assert.Contains("MIG0231", csv.Error, StringComparison.Ordinal);

        var include = await MigrateCli.RunAsync(folder, "apply", "include.yaml").WaitAsync(TimeSpan.FromMinutes(1));
        AssertHarmless("fifo include", include);
        Assert.Contains("FIFO", include.All, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60));
    }

    /// <summary>80 mutants of the quickstart plan from seed 1515: values swapped for hostile ones, lines dropped, doubled or swapped.</summary>
    [Fact]
    public async Task Random_mutations_of_the_quickstart_plan_stay_harmless()
    {
        using var temp = new TempDirectory();
        var folder = PrepareFolder(temp);
        var lines = File.ReadAllLines(Path.Combine(folder, "quickstart.yaml"));
        var random = new Random(1515);
        Environment.SetEnvironmentVariable("HOSTILE_CANARY", Canary);
        var before = Listing(temp.Path, folder);
        var applied = 0;
        for (var mutant = 0; mutant < 80; mutant++)
        {
            var text = Mutate(lines, random);
            File.WriteAllText(Path.Combine(folder, "mutant.yaml"), text);
            var validate = await MigrateCli.RunAsync(folder, "validate", "mutant.yaml").WaitAsync(TimeSpan.FromMinutes(1));
            AssertHarmless($"mutant {mutant} validate\n{text}", validate);
            var plan = await MigrateCli.RunAsync(folder, "plan", "mutant.yaml").WaitAsync(TimeSpan.FromMinutes(1));
            AssertHarmless($"mutant {mutant} plan\n{text}", plan);
            if (validate.ExitCode == 0 && mutant % 4 == 0)
            {
                applied++;
                var apply = await MigrateCli.RunAsync(folder, "apply", "mutant.yaml").WaitAsync(TimeSpan.FromMinutes(2));
                AssertHarmless($"mutant {mutant} apply\n{text}", apply);
            }
        }

        Assert.Equal(before, Listing(temp.Path, folder));
        Assert.True(applied > 0, "no mutant was applied");
    }

    private static readonly string[] HostileValues =
    [
        "../../../../../../proc/self/environ", "/proc/self/environ", "/dev/zero", "/etc", "..", "../outside",
        "99999999999999999999GB", "100001d", "200000s", "2000m", "0", "-1", "2147483648", "99999999999999999999",
        "'/([a-z/'", "/srv/x@example.com", "../x@example.com", "env:HOSTILE_CANARY", "file:/proc/self/environ",
        "file:../../../etc/shadow", "'{{ include \"/etc/passwd\" }}'", "'=HYPERLINK(\"x\")@evil.com'", "\"a\\0b\"",
        "~", "null", "[]", "{}", new string('x', 5000),
    ];

    private static string Mutate(string[] original, Random random)
    {
        var lines = original.ToList();
        var edits = 1 + random.Next(3);
        for (var i = 0; i < edits; i++)
        {
            var index = random.Next(lines.Count);
            var line = lines[index];
            switch (random.Next(5))
            {
                case 0 or 1 when line.Contains(": ", StringComparison.Ordinal):
                    lines[index] = line[..(line.IndexOf(": ", StringComparison.Ordinal) + 2)] + HostileValues[random.Next(HostileValues.Length)];
                    break;
                case 0 or 1 when line.TrimStart().StartsWith("- ", StringComparison.Ordinal):
                    lines[index] = line[..(line.IndexOf("- ", StringComparison.Ordinal) + 2)] + HostileValues[random.Next(HostileValues.Length)];
                    break;
                case 2:
                    lines.RemoveAt(index);
                    break;
                case 3:
                    lines.Insert(index, line);
                    break;
                default:
                    var other = random.Next(lines.Count);
                    (lines[index], lines[other]) = (lines[other], lines[index]);
                    break;
            }
        }

        return string.Join('\n', lines) + "\n";
    }

    /// <summary>temp/plan holds a copy of the example plans and their data; temp itself must stay as it is.</summary>
    private static string PrepareFolder(TempDirectory temp)
    {
        var folder = temp.Combine("plan");
        CopyTree(Path.Combine(RepoPaths.Root, "plans", "examples"), folder);
        File.WriteAllText(temp.Combine("sibling.txt"), "outside the plan's folder");
        return folder;
    }

    private static void AssertHarmless(string what, CliResult run)
    {
        var context = $"{what}\nexit {run.ExitCode}\n{run.All}";
        Assert.True(run.ExitCode is 0 or 1 or 2, context);
        Assert.DoesNotContain("   at ", run.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.All, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, run.All, StringComparison.Ordinal);
        Assert.DoesNotContain("root:x:0:0", run.All, StringComparison.Ordinal);
    }

    /// <summary>Every file and folder under <paramref name="root"/> except inside <paramref name="allowed"/>, with sizes.</summary>
    private static List<string> Listing(string root, string allowed) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Where(path => !path.StartsWith(allowed + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(path => path + (File.Exists(path) ? ":" + new FileInfo(path).Length : "/"))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    private static void Mkfifo(string path)
    {
        using var process = Process.Start("mkfifo", path);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}

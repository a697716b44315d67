using MigrationEngine.TestSupport;
using YamlDotNet.RepresentationModel;

namespace MigrationEngine.Cli.Tests;

/// <summary>
/// The files that run a plan as N workers (plans/ci/*-workers.yml, deploy/kubernetes/job.yaml) are documentation people
/// copy: every <c>migrate</c> command line in them parses with the real command line, applies with workers, and keeps
/// the state's password and the plan's secrets out of the files.
/// </summary>
[Trait("Category", "Unit")]
public sealed class WorkerDeploymentFilesTests
{
    public static TheoryData<string> CiFiles => new() { "github-actions-workers.yml", "azure-pipelines-workers.yml" };

    [Theory]
    [MemberData(nameof(CiFiles))]
    public void Every_migrate_command_of_the_ci_workers_parses_and_the_apply_names_its_workers(string file)
    {
        var commands = PipelineFilesTests.MigrateCommands(file);
        AssertParses(file, commands);
        Assert.Contains(commands, c => c[1] == "apply" && c.Contains("--workers-expected"));
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "plans", "ci", file));
        Assert.DoesNotMatch(@"https?://", text);
        Assert.DoesNotMatch(@"postgres(ql)?://[^\s@/]+:[^\s@/]+@", text);
    }

    [Fact]
    public void The_kubernetes_job_runs_a_valid_apply_as_as_many_workers_as_it_starts_with_secrets_from_secrets()
    {
        var path = Path.Combine(RepoPaths.Root, "deploy", "kubernetes", "job.yaml");
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var job = (YamlMappingNode)yaml.Documents[0].RootNode;
        var spec = (YamlMappingNode)job["spec"];
        var container = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)spec["template"])["spec"])["containers"])[0];
        var command = ((YamlSequenceNode)container["command"]).Select(Scalar).ToList();
        var args = ((YamlSequenceNode)container["args"]).Select(Scalar).ToList();
        Assert.Equal(["migrate"], command);
        AssertParses("job.yaml", [["migrate", .. args]]);
        Assert.Equal("apply", args[0]);

        var env = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().ToDictionary(e => Scalar(e["name"]));
        // One worker per pod: the number expected is the number the Job runs at once and in all.
        Assert.Equal(Scalar(spec["parallelism"]), Scalar(env["MIGRATE_WORKERS_EXPECTED"]["value"]));
        Assert.Equal(Scalar(spec["completions"]), Scalar(env["MIGRATE_WORKERS_EXPECTED"]["value"]));
        // The state URL, its password and the plan's secrets come from Secrets, never as literal values.
        foreach (var name in new[] { "MIGRATE_STATE", "PGPASSWORD", "OLDMAIL_ADMIN_PASSWORD" })
        {
            Assert.False(env[name].Children.ContainsKey("value"), $"{name} is a literal in job.yaml");
            Assert.True(((YamlMappingNode)env[name]["valueFrom"]).Children.ContainsKey("secretKeyRef"), $"{name} does not come from a Secret");
        }

        Assert.DoesNotMatch(@"postgres(ql)?://[^\s@/]+:[^\s@/]+@", File.ReadAllText(path));
    }

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? string.Empty;

    private static void AssertParses(string file, IEnumerable<string[]> commands)
    {
        var root = PipelineFilesTests.RealRootCommand();
        foreach (var command in commands)
        {
            var parse = root.Parse(command.Skip(1).ToArray());
            Assert.True(parse.Errors.Count == 0, $"{file}: '{string.Join(' ', command)}': {string.Join("; ", parse.Errors.Select(e => e.Message))}");
            Assert.Equal(command[1], parse.CommandResult.Command.Name);
        }
    }
}

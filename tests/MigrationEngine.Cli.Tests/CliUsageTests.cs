using System.Diagnostics;
using MigrationEngine.Cli.Tests.Infrastructure;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Cli.Tests;

/// <summary>Mistyped verbs and options get a "did you mean"; shell completion comes from the command definitions.</summary>
[Trait("Category", "Server")]
public sealed class CliUsageTests
{
    [Theory]
    [InlineData(new[] { "aply", "plan.yaml" }, "migrate: unknown command 'aply'; did you mean 'apply'?\nRun 'migrate --help' for usage.\n")]
    [InlineData(new[] { "apply", "--bogus", "plan.yaml" }, "migrate: unknown option '--bogus' for 'migrate apply'\nRun 'migrate apply --help' for usage.\n")]
    [InlineData(new[] { "apply", "--stat", "x.db", "plan.yaml" }, "migrate: unknown option '--stat' for 'migrate apply'; did you mean '--state'?\nRun 'migrate apply --help' for usage.\n")]
    [InlineData(new[] { "state", "export", "plan.yaml", "--outt", "f" }, "migrate: unknown option '--outt' for 'migrate state export'; did you mean '--out'?\nRun 'migrate state export --help' for usage.\n")]
    [InlineData(new[] { "--bogus" }, "migrate: unknown option '--bogus'\nRun 'migrate --help' for usage.\n")]
    public async Task A_usage_error_blames_what_was_mistyped(string[] args, string expected)
    {
        using var temp = new TempDirectory();
        var result = await MigrateCli.RunAsync(temp.Path, args);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, result.Error.ReplaceLineEndings("\n"));
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task A_known_option_with_a_wrong_value_keeps_the_parser_message()
    {
        using var temp = new TempDirectory();
        var result = await MigrateCli.RunAsync(temp.Path, "plan", "--output", "jsn", "plan.yaml");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'jsn'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown option", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("pwsh")]
    [InlineData("fish")]
    public async Task Completion_scripts_match_golden(string shell)
    {
        using var temp = new TempDirectory();
        var result = await MigrateCli.RunAsync(temp.Path, "completion", shell);
        Assert.Equal(0, result.ExitCode);
        Golden.Assert(Path.Combine("completion", shell + ".txt"), result.Out);
    }

    [Fact]
    public async Task Completion_rejects_an_unknown_shell()
    {
        using var temp = new TempDirectory();
        var result = await MigrateCli.RunAsync(temp.Path, "completion", "tcsh");
        Assert.Equal(2, result.ExitCode);
    }

    /// <summary>The bash script in a real bash, with a <c>migrate</c> on PATH that runs the built CLI.</summary>
    [Theory]
    [InlineData("migrate ap", "apply")]
    [InlineData("migrate apply --sta", "--state")]
    [InlineData("migrate plan --output ma", "markdown")]
    public async Task Bash_completion_completes_verbs_options_and_values(string line, string expected)
    {
        using var temp = new TempDirectory();
        var script = await WriteCompletionAsync(temp, "bash");
        var words = line.Split(' ');
        var test = $$"""
            source '{{script}}'
            COMP_LINE='{{line}}'
            COMP_POINT={{line.Length}}
            COMP_WORDS=({{string.Join(' ', words.Select(w => $"'{w}'"))}})
            COMP_CWORD={{words.Length - 1}}
            _migrate_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        Assert.Contains(expected, await RunShellAsync(temp, "bash", test));
    }

    /// <summary>The fish script in a real fish: <c>complete -C</c> asks fish what it would offer for the line.</summary>
    [Theory]
    [InlineData("migrate ap", "apply")]
    [InlineData("migrate apply --sta", "--state")]
    [InlineData("migrate plan --output ma", "markdown")]
    public async Task Fish_completion_completes_verbs_options_and_values(string line, string expected)
    {
        using var temp = new TempDirectory();
        var script = await WriteCompletionAsync(temp, "fish");
        var offered = await RunShellAsync(temp, "fish", $"source '{script}'; complete -C '{line}'");
        // fish prints "candidate<TAB>description"; ours have no description.
        Assert.Contains(expected, offered.Select(o => o.Split('\t')[0]));
    }

    /// <summary>
    /// The zsh script in a real zsh. Completion widgets need an interactive line editor, so the test gives the function the
    /// state the editor would (<c>words</c>, <c>CURRENT</c>) and stands in for the two builtins it calls: <c>compadd</c>
    /// prints what it is given, <c>_files</c> prints a marker (plan files still complete as files).
    /// </summary>
    [Theory]
    [InlineData("migrate ap", "apply")]
    [InlineData("migrate apply --sta", "--state")]
    [InlineData("migrate plan --output ma", "markdown")]
    public async Task Zsh_completion_completes_verbs_options_and_values(string line, string expected)
    {
        using var temp = new TempDirectory();
        var script = await WriteCompletionAsync(temp, "zsh");
        var words = line.Split(' ');
        var test = $$"""
            compdef() { : }
            compadd() { if [[ $1 == -a ]]; then print -l -- "${(@P)2}"; else print -l -- "$@"; fi }
            _files() { print -- '<files>' }
            source '{{script}}'
            words=({{string.Join(' ', words.Select(w => $"'{w}'"))}})
            CURRENT={{words.Length}}
            _migrate
            """;
        var offered = await RunShellAsync(temp, "zsh", test);
        Assert.Contains(expected, offered);
        Assert.Contains("<files>", offered);
    }

    /// <summary>Writes <c>migrate completion SHELL</c> to a file, and a <c>migrate</c> that runs the built CLI into temp/bin.</summary>
    private static async Task<string> WriteCompletionAsync(TempDirectory temp, string shell)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException($"{shell} completion is tested where {shell} runs");
        }

        var bin = Directory.CreateDirectory(temp.Combine("bin")).FullName;
        var wrapper = Path.Combine(bin, "migrate");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec dotnet '{TestPaths.MigrateDll}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var script = temp.Combine("completion." + shell);
        var printed = await MigrateCli.RunAsync(temp.Path, "completion", shell);
        Assert.True(printed.ExitCode == 0, printed.All);
        await File.WriteAllTextAsync(script, printed.Out);
        return script;
    }

    /// <summary>Runs a script in the shell with temp/bin first on PATH; its output lines.</summary>
    private static async Task<string[]> RunShellAsync(TempDirectory temp, string shell, string script)
    {
        var info = new ProcessStartInfo(shell, ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["PATH"] = temp.Combine("bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{shell} exit {process.ExitCode}: {error}");
        return (await output).Split('\n');
    }
}

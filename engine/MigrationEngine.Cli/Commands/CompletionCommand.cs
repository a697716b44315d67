using System.CommandLine;

namespace MigrationEngine.Cli.Commands;

/// <summary>
/// <c>migrate completion bash|zsh|pwsh|fish</c>: a script that asks <c>migrate</c> itself for completions through
/// System.CommandLine's <c>[suggest:POSITION]</c> directive (the one dotnet-suggest uses), so verbs, options and option
/// values complete from the same definitions that parse them; plan files fall back to the shell's file completion.
/// </summary>
internal static class CompletionCommand
{
    public static Command Create(CliConsole console)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh, pwsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "pwsh", "fish");
        var command = new Command("completion", "Print a shell completion script: eval \"$(migrate completion bash)\", or see README") { shell };
        command.SetAction(parse =>
        {
            console.Out.Write(Script(parse.GetValue(shell)!));
            return ExitCodes.Success;
        });
        return command;
    }

    public static string Script(string shell) => shell switch
    {
        "bash" => Bash,
        "zsh" => Zsh,
        "pwsh" => Pwsh,
        _ => Fish,
    };

    // COMP_LINE without the program name, and the cursor moved by as much: what [suggest:N] expects.
    private const string Bash = """
        # migrate completion for bash: eval "$(migrate completion bash)" (e.g. in ~/.bashrc)
        _migrate_complete() {
          local line="${COMP_LINE:0:COMP_POINT}"
          local rest="${line#*[[:space:]]}"
          [ "$rest" = "$line" ] && rest=""
          local IFS=$'\n'
          local candidates
          candidates=($(command migrate "[suggest:${#rest}]" "$rest" 2>/dev/null))
          COMPREPLY=($(compgen -W "${candidates[*]}" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -o bashdefault -F _migrate_complete migrate

        """;

    private const string Zsh = """
        #compdef migrate
        # migrate completion for zsh: eval "$(migrate completion zsh)" (e.g. in ~/.zshrc, after compinit)
        _migrate() {
          local rest="${(j: :)words[2,CURRENT]}"
          local -a candidates
          candidates=("${(@f)$(command migrate "[suggest:${#rest}]" "$rest" 2>/dev/null)}")
          if (( ${#candidates} )) && [[ -n "${candidates[1]}" ]]; then
            compadd -a candidates
          fi
          _files
        }
        compdef _migrate migrate

        """;

    private const string Pwsh = """
        # migrate completion for PowerShell: migrate completion pwsh | Out-String | Invoke-Expression (e.g. in $PROFILE)
        Register-ArgumentCompleter -Native -CommandName migrate -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            $line = $commandAst.Extent.Text.Substring(0, [Math]::Min($commandAst.Extent.Text.Length, $cursorPosition - $commandAst.Extent.StartOffset))
            $program = $commandAst.CommandElements[0].Extent.Text
            $rest = $line.Substring([Math]::Min($line.Length, $program.Length)).TrimStart()
            migrate "[suggest:$($rest.Length)]" "$rest" 2>$null | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }

        """;

    private const string Fish = """
        # migrate completion for fish: migrate completion fish | source (or save it as ~/.config/fish/completions/migrate.fish)
        function __migrate_complete
            set -l rest (commandline -cp | string replace -r '^\s*\S+\s*' '')
            command migrate "[suggest:"(string length -- "$rest")"]" "$rest" 2>/dev/null
        end
        complete -c migrate -a '(__migrate_complete)'

        """;
}

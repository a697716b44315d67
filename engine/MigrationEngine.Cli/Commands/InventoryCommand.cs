using System.CommandLine;
using System.Diagnostics;
using MigrationEngine.Cli.Hosting;
using MigrationEngine.Core.Inventory;
using MigrationEngine.Core.State;

namespace MigrationEngine.Cli.Commands;

/// <summary>
/// <c>migrate inventory PLAN</c>: reads every source mailbox of the plan read-only (listings only), records what it found in
/// state, and reports it with the preflight lint's findings. Exit 0 without errors, 1 with any (a mailbox that could not be
/// read, a message the target can never take).
/// </summary>
internal static class InventoryCommand
{
    public static Command Create(CliConsole console)
    {
        var plan = Options.Plan();
        var output = Options.Output("table", "json", "markdown");
        var state = Options.State();
        var mailbox = new Option<string?>("--mailbox") { Description = "Read only the mailbox with this source or target address" };
        var outFile = new Option<string?>("--output-file", "--out") { Description = "Write the output to this file instead of stdout (a pull-request comment, a CI artifact)" };
        var command = new Command("inventory", "Before the first byte moves: read the sources' folders, counts, sizes and dates (never bodies), record them in state and lint them against the targets")
        {
            plan, output, state, mailbox, outFile,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var format = parse.GetValue(output)!;
            var path = parse.GetValue(plan)!;
            var model = PlanInput.Load(console, path, format == "json" ? "json" : "text");
            if (model is null)
            {
                return ExitCodes.Error;
            }

            await using var store = await StateLocator.OpenAsync(console, model, parse.GetValue(state), cancellationToken);
            if (store is null)
            {
                return ExitCodes.Error;
            }

            var clock = Stopwatch.StartNew();
            var progress = new InventoryProgressLine(console.Error);
            var mailboxes = await new InventoryReader(AdapterComposition.CreateRegistry())
                .ReadAsync(model, new InventoryOptions { Mailbox = parse.GetValue(mailbox), Progress = progress }, cancellationToken);
            progress.Finish();
            if (store is IInventoryStore inventoryStore)
            {
                await inventoryStore.SaveInventoryAsync(model.Name,
                    mailboxes.Select(m => new InventoryRecord(m.Migration, Core.Compilation.PlanCompiler.MailboxKey(m.Target), m.RecordedAt, InventoryJson.ToJson(m).ToJsonString())).ToList(), cancellationToken);
            }

            var report = new InventoryReport(model.Name, mailboxes, InventoryLint.Check(model, mailboxes), clock.Elapsed);
            var text = format switch
            {
                "json" => InventoryRenderer.Json(report),
                "markdown" => InventoryRenderer.Markdown(report, path),
                _ => InventoryRenderer.Table(report),
            };
            if (parse.GetValue(outFile) is { } file)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                await File.WriteAllTextAsync(file, text, cancellationToken);
                console.Error.WriteLine($"Wrote the inventory to {file}.");
            }
            else
            {
                console.Out.Write(text);
            }

            if (format != "json")
            {
                DiagnosticPrinter.Print(console, report.Findings, "text", summaryLine: false);
            }

            return report.HasErrors ? ExitCodes.Error : ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>
/// The progress display of inventory on stderr: one line rewritten in place on a terminal, a line at most every five
/// seconds otherwise (CI logs), and the final count.
/// </summary>
internal sealed class InventoryProgressLine(TextWriter error) : IProgress<(int Done, int Total)>
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _terminal = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error)
        && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
    private TimeSpan _last;
    private bool _written;
    private (int Done, int Total) _now;

    public void Report((int Done, int Total) value)
    {
        lock (_gate)
        {
            // Mailboxes end in parallel: a report may arrive after a higher one.
            _now = value.Done > _now.Done ? value : _now;
            var every = _terminal ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(5);
            if (_clock.Elapsed - _last >= every && _now.Done < _now.Total)
            {
                _last = _clock.Elapsed;
                _written = true;
                Write();
            }
        }
    }

    /// <summary>The final count, when a progress line was shown at all (a short inventory prints none).</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_written)
            {
                Write();
                if (_terminal)
                {
                    error.WriteLine();
                }
            }
        }
    }

    private void Write()
    {
        var line = $"inventory: {_now.Done}/{_now.Total} mailboxes read ({_clock.Elapsed.TotalSeconds:0} s)";
        if (_terminal)
        {
            error.Write("\r" + line);
        }
        else
        {
            error.WriteLine(line);
        }
    }
}

using System.Diagnostics;
using MigrationEngine.Core.Loading;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: ValidatePlan <plan.yaml> [--timing | --format]");
    return 2;
}

if (args.Contains("--format"))
{
    var formatted = MigrationEngine.Core.Formatting.PlanFormatter.Format(File.ReadAllText(args[0]), args[0]);
    Console.Write(formatted.Formatted);
    foreach (var diagnostic in formatted.Diagnostics)
    {
        Console.Error.WriteLine(diagnostic.ToMsBuildString());
    }

    return formatted.Formatted is null ? 1 : 0;
}

if (args.Contains("--stages"))
{
    // Per-stage timings, to see where the time goes: the first round includes JIT, the second is steady state.
    for (var round = 1; round <= 2; round++)
    {
    Console.WriteLine($"round {round}");
    var bag = new MigrationEngine.Core.Diagnostics.DiagnosticBag();
    var clock = Stopwatch.StartNew();
    var text = File.ReadAllText(args[0]);
    var document = YamlTreeReader.Parse(text, args[0], bag);
    Console.WriteLine($"parse: {clock.Elapsed.TotalMilliseconds:F0} ms");
    clock.Restart();
    var root = (YamlTreeMapping)document!.Root!;
    MigrationEngine.Core.Validation.SchemaValidator.Validate(root, args[0], bag);
    Console.WriteLine($"schema: {clock.Elapsed.TotalMilliseconds:F0} ms");
    clock.Restart();
    MigrationEngine.Core.Validation.SemanticValidator.Analyze(root, args[0], Path.GetFullPath(args[0]), bag);
    Console.WriteLine($"semantics: {clock.Elapsed.TotalMilliseconds:F0} ms, {bag.Count} diagnostics");
    }

    return 0;
}

var stopwatch = Stopwatch.StartNew();
var result = PlanLoader.Load(args[0], args[0]);
stopwatch.Stop();
foreach (var diagnostic in result.Diagnostics)
{
    Console.WriteLine(diagnostic.ToMsBuildString());
}

if (args.Contains("--timing"))
{
    var mailboxes = result.Plan?.MailboxSets.Values.Sum(s => s.Mailboxes.Count) ?? 0;
    Console.WriteLine($"loaded in {stopwatch.Elapsed.TotalMilliseconds:F0} ms, {mailboxes} mailboxes, errors: {result.HasErrors}");
}

return result.HasErrors ? 1 : 0;

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

using MigrationEngine.Cli;
using MigrationEngine.Cli.Hosting;

StartupWarmup.Begin(args);
return await CliApp.RunAsync(args, Console.Out, Console.Error);

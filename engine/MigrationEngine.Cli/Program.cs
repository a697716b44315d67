using MigrationEngine.Cli;
using MigrationEngine.Cli.Hosting;

StartupWarmup.Begin();
return await CliApp.RunAsync(args, Console.Out, Console.Error);

using Simlane.Cli;

return await CliApp.RunAsync(args, CliConsole.FromSystem());

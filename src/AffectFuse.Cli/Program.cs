using System.CommandLine;

var root = new RootCommand("AffectFuse: per-frame facial expression recognition from face and voice (Aff-Wild2 EXPR classes).");
var bench = new Command("bench", "Benchmarks.");
bench.Subcommands.Add(AffectFuse.Cli.Commands.BenchModelCommand.Create());
root.Subcommands.Add(bench);
root.Subcommands.Add(AffectFuse.Cli.Commands.ExportCommand.Create());
return root.Parse(args).Invoke();

using System.CommandLine;
using AffectFuse.Cli.Commands;

var root = new RootCommand("AffectFuse: per-frame facial expression recognition (Aff-Wild2's 8 classes) from face and voice together.")
{
    SynthCommand.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    InferCommand.Create(),
    ExportCommand.Create(),
    ExtractCommand.Create(),
};
var bench = new Command("bench", "Benchmarks.");
bench.Subcommands.Add(BenchModelCommand.Create());
bench.Subcommands.Add(BenchPipelineCommand.Create());
root.Subcommands.Add(bench);
return root.Parse(args).Invoke();

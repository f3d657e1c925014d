using System.CommandLine;
using AffectFuse.Cli.Commands;

var root = new RootCommand("AffectFuse: per-frame facial expression recognition (Aff-Wild2's 8 classes) from face and voice together.")
{
    DemoCommand.Create(),
    PredictCommand.Create(),
    ExtractCommand.Create(),
    SynthCommand.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    InferCommand.Create(),
    ExportCommand.Create(),
    new Command("bench", "Benchmarks: model and pipeline speed, the real-data benchmark set")
    {
        BenchModelCommand.Create(),
        BenchPipelineCommand.Create(),
        BenchComposeCommand.Create(),
        BenchAblateCommand.Create(),
    },
};
return root.Parse(args).Invoke();

using System.CommandLine;
using System.CommandLine.Help;
using AffectFuse.Cli.Commands;

// A plain Command named like the tool (a RootCommand would show the assembly name, AffectFuse.Cli, in the usage lines).
var root = new Command("affectfuse", "AffectFuse: per-frame facial expression recognition (Aff-Wild2's 8 classes) from face and voice together.")
{
    new HelpOption(),
    new VersionOption(),
    DemoCommand.Create(),
    PredictCommand.Create(),
    ExtractCommand.Create(),
    SynthCommand.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    InferCommand.Create(),
    ExportCommand.Create(),
    new Command("bench", "Benchmarks: model, training-at-scale and pipeline speed, the real-data benchmark set")
    {
        BenchModelCommand.Create(),
        BenchTrainCommand.Create(),
        BenchPipelineCommand.Create(),
        BenchComposeCommand.Create(),
        BenchAblateCommand.Create(),
    },
};
return root.Parse(args).Invoke();

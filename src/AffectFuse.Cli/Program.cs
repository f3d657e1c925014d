using System.CommandLine;
using System.CommandLine.Help;
using AffectFuse.Cli;
using AffectFuse.Cli.Commands;
using Spectre.Console;

NativeDefaults.Apply();

// A plain Command named like the tool (a RootCommand would show the assembly name, AffectFuse.Cli, in the usage lines).
var root = new Command("affectfuse", "AffectFuse: per-frame facial expression recognition (Aff-Wild2's 8 classes) from face and voice together.")
{
    new HelpOption(),
    new VersionOption(),
    DemoCommand.Create(),
    PredictCommand.Create(),
    LiveCommand.Create(),
    ExtractCommand.Create(),
    SynthCommand.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    EvaluateClipsCommand.Create(),
    InferCommand.Create(),
    ExportCommand.Create(),
    ClusterCommand.Create(),
    ModelsCommand.Create(),
    new Command("bench", "Benchmarks: model, training-at-scale and pipeline speed, the real-data benchmark set")
    {
        BenchModelCommand.Create(),
        BenchTrainCommand.Create(),
        BenchPipelineCommand.Create(),
        BenchNetsCommand.Create(),
        BenchBlendshapesCommand.Create(),
        BenchComposeCommand.Create(),
        BenchCorpusCommand.Create(),
        BenchAblateCommand.Create(),
        BenchLiveCommand.Create(),
        BenchLiveAgreementCommand.Create(),
        BenchVadCommand.Create(),
    },
};
// Piped into a file or another program, Spectre assumes 80 columns and folds long lines and tables; keep them whole.
if (Console.IsOutputRedirected)
    AnsiConsole.Profile.Width = CommandRunner.RedirectedWidth;
return CommandRunner.Invoke(root, args);

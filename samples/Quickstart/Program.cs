// AffectFuse from C#: a video's per-frame labels, then the same video read as a live source.
//   dotnet run -- VIDEO      (the face nets come from `affectfuse models fetch` or $AFFECTFUSE_MODELS)
using AffectFuse.Decoding;
using AffectFuse.Inference;
using AffectFuse.Workflows;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Quickstart VIDEO");
    return 2;
}

using var recognizer = Recognizer.Load();
VideoPrediction prediction = recognizer.Predict(args[0]);
foreach (var group in prediction.Frames.GroupBy(f => f.LabelName).OrderByDescending(g => g.Count()))
    Console.WriteLine($"file: {group.Key} {group.Count()} of {prediction.FrameCount} frames");

// Live: each frame's label as soon as it is final (half a second of look-ahead).
int labelled = 0;
LiveOutcome outcome = LiveSession.Run(recognizer, new LiveSourceOptions { Source = args[0] }, lookaheadSeconds: 0.5, _ => labelled++);
Console.WriteLine($"live: {labelled} frames labelled, {outcome.Dropped} dropped");
return 0;

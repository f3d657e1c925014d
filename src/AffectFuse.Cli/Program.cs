using System.CommandLine;

var root = new RootCommand("AffectFuse: per-frame facial expression recognition from face and voice (Aff-Wild2 EXPR classes).");
root.Add(AffectFuse.Cli.Commands.SynthCommand.Create());
return root.Parse(args).Invoke();

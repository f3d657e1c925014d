using System.CommandLine;

var root = new RootCommand("AffectFuse: per-frame facial expression recognition from face and voice (Aff-Wild2 EXPR classes).");
return root.Parse(args).Invoke();

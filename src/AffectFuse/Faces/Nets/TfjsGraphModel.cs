using AffectFuse.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets;

/// <summary>A TF.js graph model (<c>model.json</c> + weights) rebuilt as a TorchSharp module. Takes and returns tensors in
/// TensorFlow's layout (NHWC); inside, 4-D activations run as NCHW. Supports the op set of the FER mini-Xception that
/// <c>@vladmandic/human</c> ships: Const, Placeholder, _FusedConv2D (BiasAdd [+ Relu]), DepthwiseConv2dNative, MaxPool,
/// AddV2, Relu, Mean, Softmax, Identity. Written by hand because no available .NET package reads TF.js graphs.</summary>
internal sealed class TfjsGraphModel : nn.Module<Tensor, Tensor>
{
    /// <summary>The ops this importer understands.</summary>
    public static readonly IReadOnlyList<string> SupportedOps =
        ["Const", "Placeholder", "_FusedConv2D", "DepthwiseConv2dNative", "MaxPool", "AddV2", "Relu", "Mean", "Softmax", "Identity"];

    private enum Kind { Input, Constant, Layer, Add, Relu, Mean, Softmax, Identity }

    private sealed record Step(string Name, Kind Kind, int[] Inputs, int Layer = -1, long[]? Axes = null, bool KeepDims = false);

    private readonly ModuleList<nn.Module<Tensor, Tensor>> layers;
    private readonly Step[] steps;
    private readonly Dictionary<string, int> slots;
    private readonly Dictionary<int, Tensor> constants = [];
    private readonly long[] inputShape;
    private readonly int outputSlot;

    /// <summary>Name of the Placeholder node.</summary>
    public string InputName { get; }

    /// <summary>Name of the node <see cref="forward"/> returns (the signature's output, else the graph's only sink).</summary>
    public string OutputName { get; }

    /// <summary>Names of every node that can be fetched with <see cref="Run"/>, in execution order.</summary>
    public IReadOnlyList<string> NodeNames => steps.Select(s => s.Name).ToList();

    /// <summary>Reads and builds the model at <paramref name="modelJsonPath"/>.</summary>
    /// <exception cref="AffectFuseException">Bad file, bad weights, or an op outside <see cref="SupportedOps"/> (the message names op and node).</exception>
    public static TfjsGraphModel Load(string modelJsonPath) => new(TfjsGraphModelFile.Load(modelJsonPath));

    /// <summary>Builds the module from a parsed file.</summary>
    public TfjsGraphModel(TfjsGraphModelFile file) : base(System.IO.Path.GetFileNameWithoutExtension(file.Path))
    {
        var builder = new TfjsGraphModelBuilder(file);
        var order = builder.TopologicalOrder();
        slots = order.Select((n, i) => (n.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var built = new List<nn.Module<Tensor, Tensor>>();
        steps = new Step[order.Count];
        var placeholders = new List<TfjsGraphModelNode>();
        for (int i = 0; i < order.Count; i++)
        {
            var node = order[i];
            int[] inputs = node.Inputs.Select(n => slots[n]).ToArray();
            switch (node.Op)
            {
                case "Placeholder":
                    placeholders.Add(node);
                    steps[i] = new Step(node.Name, Kind.Input, inputs);
                    break;
                case "Const":
                    // Consts are mostly filters folded into their layer; keep a tensor only for ones read as data.
                    steps[i] = new Step(node.Name, Kind.Constant, inputs);
                    break;
                case "_FusedConv2D":
                case "DepthwiseConv2dNative":
                    built.Add(builder.Convolution(node));
                    steps[i] = new Step(node.Name, Kind.Layer, inputs[..1], built.Count - 1);
                    break;
                case "MaxPool":
                    built.Add(builder.MaxPool(node));
                    steps[i] = new Step(node.Name, Kind.Layer, inputs, built.Count - 1);
                    break;
                case "Mean":
                    var (axes, keep) = builder.Reduction(node);
                    steps[i] = new Step(node.Name, Kind.Mean, inputs[..1], Axes: axes, KeepDims: keep);
                    break;
                case "AddV2":
                    steps[i] = new Step(node.Name, Kind.Add, builder.RequireInputs(node, inputs, 2));
                    break;
                case "Relu":
                    steps[i] = new Step(node.Name, Kind.Relu, builder.RequireInputs(node, inputs, 1));
                    break;
                case "Softmax":
                    steps[i] = new Step(node.Name, Kind.Softmax, builder.RequireInputs(node, inputs, 1));
                    break;
                case "Identity":
                    steps[i] = new Step(node.Name, Kind.Identity, builder.RequireInputs(node, inputs, 1));
                    break;
                default:
                    throw builder.Unsupported(node);
            }
        }
        if (placeholders.Count != 1)
            throw new AffectFuseException(file.Path, $"the graph has {placeholders.Count} Placeholder nodes; exactly one input is supported");
        InputName = placeholders[0].Name;
        inputShape = placeholders[0].GetShape("shape") ?? [];
        OutputName = builder.OutputName();
        outputSlot = slots[OutputName];

        layers = nn.ModuleList(built.ToArray());
        foreach (var step in steps.Where(s => s.Kind is Kind.Add or Kind.Relu or Kind.Softmax or Kind.Identity or Kind.Mean))
        {
            foreach (int input in step.Inputs.Where(j => steps[j].Kind == Kind.Constant && !constants.ContainsKey(j)))
            {
                constants[input] = builder.Constant(order[input]);
                register_buffer($"const_{input}", constants[input]);
            }
        }
        RegisterComponents();
    }

    /// <summary>Runs the graph on an NHWC input and returns its output node.</summary>
    public override Tensor forward(Tensor input) => Run(input, OutputName)[0];

    /// <summary>Runs the graph and returns the named nodes' values in TensorFlow layout (4-D ones as NHWC), like
    /// TF.js's <c>model.execute(input, names)</c>.</summary>
    public Tensor[] Run(Tensor input, params string[] nodeNames)
    {
        var wanted = nodeNames.Select(n => slots.TryGetValue(n.EndsWith(":0", StringComparison.Ordinal) ? n[..^2] : n, out int s)
            ? s : throw new ArgumentException($"no node named '{n}' in the graph", nameof(nodeNames))).ToArray();
        CheckInput(input);
        int last = wanted.Length == 0 ? -1 : wanted.Max();
        var values = new Tensor?[last + 1];
        var nchw = new bool[last + 1];
        for (int i = 0; i <= last; i++)
        {
            var step = steps[i];
            switch (step.Kind)
            {
                case Kind.Input:
                    (values[i], nchw[i]) = input.dim() == 4 ? (input.permute(0, 3, 1, 2), true) : (input, false);
                    break;
                case Kind.Constant:
                    values[i] = constants.GetValueOrDefault(i);
                    break;
                case Kind.Layer:
                    values[i] = layers[step.Layer].call(Nchw(values, nchw, step.Inputs[0]));
                    nchw[i] = true;
                    break;
                case Kind.Add:
                    int a = step.Inputs[0], b = step.Inputs[1];
                    (values[i], nchw[i]) = nchw[a] == nchw[b]
                        ? (values[a]!.add(values[b]!, ScalarCache.One), nchw[a])
                        : (Tf(values[a]!, nchw[a]).add(Tf(values[b]!, nchw[b]), ScalarCache.One), false);
                    break;
                case Kind.Relu:
                    (values[i], nchw[i]) = (nn.functional.relu(values[step.Inputs[0]]!), nchw[step.Inputs[0]]);
                    break;
                case Kind.Softmax:
                    // TF's Softmax works on the last axis, which is channels (dim 1) in NCHW.
                    (values[i], nchw[i]) = (values[step.Inputs[0]]!.softmax(nchw[step.Inputs[0]] ? 1 : -1), nchw[step.Inputs[0]]);
                    break;
                case Kind.Identity:
                    (values[i], nchw[i]) = (values[step.Inputs[0]], nchw[step.Inputs[0]]);
                    break;
                case Kind.Mean:
                    (values[i], nchw[i]) = Mean(values[step.Inputs[0]]!, nchw[step.Inputs[0]], step.Axes!, step.KeepDims);
                    break;
            }
        }
        return wanted.Select(s => Tf(values[s]!, nchw[s])).ToArray();
    }

    private void CheckInput(Tensor input)
    {
        bool fits = inputShape.Length == 0 || (input.dim() == inputShape.Length
            && inputShape.Zip(input.shape).All(p => p.First < 0 || p.First == p.Second));
        if (!fits)
            throw new ArgumentException($"input of shape [{string.Join(",", input.shape)}] does not fit {InputName}'s [{string.Join(",", inputShape)}]");
        if (input.dtype != ScalarType.Float32)
            throw new ArgumentException($"input must be float32, got {input.dtype}");
    }

    private static Tensor Nchw(Tensor?[] values, bool[] nchw, int slot) =>
        nchw[slot] ? values[slot]! : values[slot]!.permute(0, 3, 1, 2);

    private static Tensor Tf(Tensor value, bool nchw) => nchw ? value.permute(0, 2, 3, 1) : value;

    // NHWC axis → NCHW dim.
    private static readonly long[] TfToTorch = [0, 2, 3, 1];

    private static (Tensor, bool) Mean(Tensor x, bool nchw, long[] axes, bool keepDims)
    {
        long rank = x.dim();
        var tfAxes = axes.Select(a => a < 0 ? a + rank : a).Distinct().ToArray();
        if (!nchw)
            return (x.mean(tfAxes, keepDims), false);
        var y = x.mean(tfAxes.Select(a => TfToTorch[a]).ToArray(), keepDims);
        if (keepDims)
            return (y, true);
        // The kept dims come out in NCHW order; put them back in TF order.
        var kept = Enumerable.Range(0, 4).Where(a => !tfAxes.Contains(a)).Select(a => (Torch: TfToTorch[a], Tf: a))
            .OrderBy(p => p.Torch).ToList();
        long[] permutation = kept.Select((p, i) => (p.Tf, i)).OrderBy(p => p.Tf).Select(p => (long)p.i).ToArray();
        bool identity = permutation.Select((p, i) => p == i).All(b => b);
        return (identity ? y : y.permute(permutation), false);
    }
}

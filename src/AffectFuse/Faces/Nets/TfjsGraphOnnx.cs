using static AffectFuse.Faces.Nets.OnnxGraphBuilder;

namespace AffectFuse.Faces.Nets;

/// <summary>Writes a parsed TF.js graph model (<see cref="TfjsGraphModelFile"/>, the same nodes and weights
/// <see cref="TfjsGraphModel"/> imports) into an <see cref="OnnxGraphBuilder"/>, for the op set of
/// <see cref="TfjsGraphModel.SupportedOps"/>. Layout as the TorchSharp importer: the input is NHWC, 4-D activations run as
/// NCHW inside (ONNX's Conv and MaxPool are NCHW-only), fetched values come back in TensorFlow layout. TF "SAME" padding
/// becomes explicit (possibly asymmetric) pads from <see cref="TfjsGraphModelPadding"/>, so spatial sizes must be known.</summary>
internal sealed class TfjsGraphOnnx
{
    // One written value: its ONNX name, its shape in TensorFlow order (-1 = unknown), and whether it is stored NCHW.
    private sealed record Value(string Name, long[] Shape, bool Nchw);

    // NHWC axis → NCHW dim.
    private static readonly long[] TfToOnnx = [0, 2, 3, 1];

    private readonly OnnxGraphBuilder g;
    private readonly TfjsGraphModelFile file;
    private readonly TfjsGraphModelBuilder builder;
    private readonly Dictionary<string, TfjsGraphModelNode> byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Value> values = new(StringComparer.Ordinal);
    // NCHW copies of NHWC values, so two convolutions reading the input transpose it once.
    private readonly Dictionary<string, string> nchwCopies = new(StringComparer.Ordinal);

    /// <summary>Name of the graph's Placeholder node.</summary>
    public string InputName { get; }

    /// <summary>The node <see cref="TfjsGraphModel.forward"/> returns (signature output, else the only sink).</summary>
    public string OutputName { get; }

    private TfjsGraphOnnx(OnnxGraphBuilder g, TfjsGraphModelFile file, string input, long[] inputShape)
    {
        this.g = g;
        this.file = file;
        builder = new TfjsGraphModelBuilder(file);
        // TopologicalOrder also rejects unknown ops up front, naming op and node.
        var order = builder.TopologicalOrder();
        foreach (var node in order)
            byName[node.Name] = node;
        var placeholders = order.Where(n => n.Op == "Placeholder").ToList();
        if (placeholders.Count != 1)
            throw new AffectFuseException(file.Path, $"the graph has {placeholders.Count} Placeholder nodes; exactly one input is supported");
        InputName = placeholders[0].Name;
        OutputName = builder.OutputName();
        long[] declared = placeholders[0].GetShape("shape") ?? [];
        if (declared.Length > 0 && (declared.Length != inputShape.Length || declared.Zip(inputShape).Any(p => p.First >= 0 && p.First != p.Second)))
            throw new ArgumentException($"input shape [{string.Join(",", inputShape)}] does not fit {InputName}'s [{string.Join(",", declared)}]", nameof(inputShape));
        values[InputName] = new Value(input, inputShape, false);
        foreach (var node in order)
            Translate(node);
    }

    /// <summary>Writes every node of <paramref name="file"/>, reading the ONNX value <paramref name="input"/> (TensorFlow
    /// layout, shape <paramref name="inputShape"/> with -1 for the batch) as the Placeholder.</summary>
    /// <exception cref="AffectFuseException">An op, attribute or weight outside what this writer supports (the message names the node and op).</exception>
    public static TfjsGraphOnnx Write(OnnxGraphBuilder g, TfjsGraphModelFile file, string input, long[] inputShape) =>
        new(g, file, input, inputShape);

    /// <summary>A whole model: input <paramref name="inputName"/> with the Placeholder's shape (NHWC), output
    /// <paramref name="outputName"/> = <see cref="OutputName"/>'s value in TensorFlow layout, serialised.</summary>
    public static byte[] Build(TfjsGraphModelFile file, string inputName = "input", string outputName = "output")
    {
        var placeholder = file.Nodes.FirstOrDefault(n => n.Op == "Placeholder")
            ?? throw new AffectFuseException(file.Path, "the graph has no Placeholder node");
        long[] shape = placeholder.GetShape("shape") is { Length: > 0 } s ? s
            : throw new AffectFuseException(file.Path, $"Placeholder '{placeholder.Name}' has no shape");
        var g = new OnnxGraphBuilder(Path.GetFileNameWithoutExtension(file.Path));
        var net = Write(g, file, g.Input(inputName, [.. shape.Select(d => d < 0 ? (long?)null : d)]), shape);
        var output = net.values[net.OutputName];
        g.Output(g.NamedNode("Identity", [net.Fetch(net.OutputName)], outputName), [.. output.Shape.Select(d => d < 0 ? (long?)null : d)]);
        return g.ToBytes();
    }

    /// <summary>The ONNX value of node <paramref name="nodeName"/> in TensorFlow layout (4-D ones as NHWC).</summary>
    public string Fetch(string nodeName) => Tf(Get(nodeName));

    /// <summary>The [N, C] mean over height and width of 4-D node <paramref name="nodeName"/> (taken in NCHW, so no transpose).</summary>
    public string SpatialMean(string nodeName)
    {
        var v = Get(nodeName);
        if (v.Shape.Length != 4)
            throw new ArgumentException($"node '{nodeName}' is {v.Shape.Length}-D; a spatial mean needs 4-D", nameof(nodeName));
        return g.Node("ReduceMean", [v.Name], Ints("axes", v.Nchw ? [2, 3] : [1, 2]), Int("keepdims", 0));
    }

    private Value Get(string nodeName)
    {
        string name = nodeName.EndsWith(":0", StringComparison.Ordinal) ? nodeName[..^2] : nodeName;
        return values.TryGetValue(name, out var v) ? v
            : throw new ArgumentException($"no value for node '{nodeName}' in the graph", nameof(nodeName));
    }

    private void Translate(TfjsGraphModelNode node)
    {
        switch (node.Op)
        {
            case "Placeholder":
                return; // set up by the constructor
            case "Const":
                return; // folded into the layer that reads it, or written on first use as data (Data)
            case "_FusedConv2D":
            case "DepthwiseConv2dNative":
                values[node.Name] = Convolution(node);
                return;
            case "MaxPool":
                values[node.Name] = MaxPool(node);
                return;
            case "AddV2":
                values[node.Name] = Add(node);
                return;
            case "Relu":
                builder.RequireInputs(node, node.Inputs.Count, 1);
                var x = Data(node.Inputs[0]);
                values[node.Name] = x with { Name = g.Node("Relu", [x.Name]) };
                return;
            case "Softmax":
                builder.RequireInputs(node, node.Inputs.Count, 1);
                var logits = Data(node.Inputs[0]);
                // TF's Softmax is over the last axis: channels, which NCHW keeps at dim 1.
                long axis = logits.Nchw ? 1 : -1;
                values[node.Name] = logits with { Name = g.Node("Softmax", [logits.Name], Int("axis", axis)) };
                return;
            case "Identity":
                builder.RequireInputs(node, node.Inputs.Count, 1);
                values[node.Name] = Data(node.Inputs[0]); // an alias: no node needed
                return;
            case "Mean":
                values[node.Name] = Mean(node);
                return;
            default:
                throw builder.Unsupported(node);
        }
    }

    private Value Convolution(TfjsGraphModelNode node)
    {
        bool depthwise = node.Op == "DepthwiseConv2dNative";
        builder.RequireNhwc(node);
        bool hasBias = false, relu = false;
        if (!depthwise)
        {
            string[] fused = node.GetStrings("fused_ops") ?? [];
            for (int i = 0; i < fused.Length; i++)
            {
                if (fused[i] == "BiasAdd" && i == 0)
                    hasBias = true;
                else if (fused[i] == "Relu" && i == fused.Length - 1)
                    relu = true;
                else
                    throw builder.Fail(node, $"unsupported fused op '{fused[i]}' (_FusedConv2D supports BiasAdd [+ Relu])");
            }
        }
        builder.RequireInputs(node, node.Inputs.Count, hasBias ? 3 : 2);
        var filter = builder.Weight(node, node.Inputs[1]);
        if (filter.Shape.Length != 4 || filter.Floats is null)
            throw builder.Fail(node, $"filter '{filter.Name}' has shape [{string.Join(",", filter.Shape)}], expected float32 [kh,kw,in,out]");
        var x = Nchw(Data(node.Inputs[0]), node);
        long kh = filter.Shape[0], kw = filter.Shape[1], cin = filter.Shape[2], cout = filter.Shape[3];
        if (x.Shape[3] >= 0 && x.Shape[3] != cin)
            throw builder.Fail(node, $"input has {x.Shape[3]} channels, filter '{filter.Name}' expects {cin}");
        long outChannels = depthwise ? cin * cout : cout;
        string weight = g.Initializer(filter.Name, Oihw(filter.Floats, kh, kw, cin, cout, depthwise), outChannels, depthwise ? 1 : cin, kh, kw);
        var inputs = new List<string> { x.Name, weight };
        if (hasBias)
        {
            var b = builder.Weight(node, node.Inputs[2]);
            if (b.Shape.Length != 1 || b.Shape[0] != outChannels || b.Floats is null)
                throw builder.Fail(node, $"bias '{b.Name}' has shape [{string.Join(",", b.Shape)}], expected float32 [{outChannels}]");
            inputs.Add(g.Initializer(b.Name, b.Floats, outChannels));
        }
        long[] strides = builder.Spatial(node, "strides"), dilations = builder.Spatial(node, "dilations");
        var (pads, outH, outW) = Window(node, x.Shape, [kh, kw], strides, dilations);
        string y = g.Node("Conv", inputs, Ints("kernel_shape", kh, kw), Ints("strides", strides), Ints("dilations", dilations),
            Ints("pads", pads), Int("group", depthwise ? cin : 1));
        return new Value(relu ? g.Node("Relu", [y]) : y, [x.Shape[0], outH, outW, outChannels], true);
    }

    private Value MaxPool(TfjsGraphModelNode node)
    {
        builder.RequireNhwc(node);
        builder.RequireInputs(node, node.Inputs.Count, 1);
        var x = Nchw(Data(node.Inputs[0]), node);
        long[] kernel = builder.Spatial(node, "ksize"), strides = builder.Spatial(node, "strides");
        var (pads, outH, outW) = Window(node, x.Shape, kernel, strides, [1, 1]);
        // ONNX MaxPool leaves pads out of the max, as TF's SAME windows do.
        string y = g.Node("MaxPool", [x.Name], Ints("kernel_shape", kernel), Ints("strides", strides), Ints("pads", pads));
        return new Value(y, [x.Shape[0], outH, outW, x.Shape[3]], true);
    }

    private Value Add(TfjsGraphModelNode node)
    {
        builder.RequireInputs(node, node.Inputs.Count, 2);
        var a = Data(node.Inputs[0]);
        var b = Data(node.Inputs[1]);
        // Mixed layouts meet in TF's: broadcasting follows TF's axis order there.
        bool nchw = a.Nchw && b.Nchw;
        string left = a.Nchw == nchw ? a.Name : Tf(a), right = b.Nchw == nchw ? b.Name : Tf(b);
        return new Value(g.Node("Add", [left, right]), Broadcast(a.Shape, b.Shape), nchw);
    }

    private Value Mean(TfjsGraphModelNode node)
    {
        var (axes, keepDims) = builder.Reduction(node);
        var x = Data(node.Inputs[0]);
        int rank = x.Shape.Length;
        long[] tfAxes = [.. axes.Select(a => a < 0 ? a + rank : a).Distinct().Order()];
        if (tfAxes.Any(a => a < 0 || a >= rank))
            throw builder.Fail(node, $"reduction axes [{string.Join(",", axes)}] do not fit a {rank}-D input");
        if (tfAxes.Length == 0)
            return x; // TF reduces nothing; ONNX's ReduceMean without axes would reduce everything
        long[] shape = keepDims ? [.. x.Shape.Select((d, i) => tfAxes.Contains(i) ? 1 : d)] : [.. x.Shape.Where((_, i) => !tfAxes.Contains(i))];
        if (x.Nchw)
        {
            // Reducing in NCHW keeps the remaining dims in NCHW order; take that when it is TF's order too (e.g. [N, C]).
            long[] kept = [.. Enumerable.Range(0, 4).Where(a => !tfAxes.Contains(a)).Select(a => TfToOnnx[a])];
            if (keepDims || kept.SequenceEqual(kept.Order()))
            {
                string reduced = g.Node("ReduceMean", [x.Name], Ints("axes", [.. tfAxes.Select(a => TfToOnnx[a]).Order()]), Int("keepdims", keepDims ? 1 : 0));
                return new Value(reduced, shape, keepDims);
            }
        }
        string name = x.Nchw ? Tf(x) : x.Name;
        return new Value(g.Node("ReduceMean", [name], Ints("axes", tfAxes), Int("keepdims", keepDims ? 1 : 0)), shape, false);
    }

    // The input of an op read as data: a computed value, or a float Const written as an initialiser (TF layout).
    private Value Data(string nodeName)
    {
        if (values.TryGetValue(nodeName, out var v))
            return v;
        var node = byName[nodeName];
        if (node.Op != "Const")
            throw new AffectFuseException(file.Path, $"node '{nodeName}' ({node.Op}) is read before it is written");
        if (!file.Weights.TryGetValue(nodeName, out var w))
            throw builder.Fail(node, "Const has no entry in weightsManifest");
        if (w.Floats is null)
            throw builder.Fail(node, "only float32 Consts can be read as data");
        return values[nodeName] = new Value(g.Initializer(nodeName, w.Floats, w.Shape), w.Shape, false);
    }

    private Value Nchw(Value x, TfjsGraphModelNode node)
    {
        if (x.Shape.Length != 4)
            throw builder.Fail(node, $"input is {x.Shape.Length}-D; expected 4-D NHWC");
        if (x.Nchw)
            return x;
        if (!nchwCopies.TryGetValue(x.Name, out string? copy))
            nchwCopies[x.Name] = copy = g.Node("Transpose", [x.Name], Ints("perm", 0, 3, 1, 2));
        return x with { Name = copy, Nchw = true };
    }

    private string Tf(Value x) => x.Nchw ? g.Node("Transpose", [x.Name], Ints("perm", 0, 2, 3, 1)) : x.Name;

    // ONNX pads [top, left, bottom, right] and the output size of a window op over NHWC shape x.
    private (long[] Pads, long OutH, long OutW) Window(TfjsGraphModelNode node, long[] x, long[] kernel, long[] strides, long[] dilations)
    {
        bool same = builder.Padding(node);
        if (x[1] < 0 || x[2] < 0)
            throw builder.Fail(node, "the input's height and width must be known to write TF padding as ONNX pads");
        var (top, bottom) = TfjsGraphModelPadding.For(same, x[1], kernel[0], strides[0], dilations[0]);
        var (left, right) = TfjsGraphModelPadding.For(same, x[2], kernel[1], strides[1], dilations[1]);
        long Out(long size, long pad, long k, long s, long d) => (size + pad - ((k - 1) * d + 1)) / s + 1;
        long outH = Out(x[1], top + bottom, kernel[0], strides[0], dilations[0]);
        long outW = Out(x[2], left + right, kernel[1], strides[1], dilations[1]);
        if (outH < 1 || outW < 1)
            throw builder.Fail(node, $"the window does not fit the {x[1]}×{x[2]} input");
        return ([top, left, bottom, right], outH, outW);
    }

    // TF filter [kh,kw,in,out] → ONNX [out,in,kh,kw]; depthwise [kh,kw,in,m] → [in·m,1,kh,kw] (output channel c·m + j, as TF).
    private static float[] Oihw(float[] tf, long kh, long kw, long cin, long cout, bool depthwise)
    {
        var result = new float[tf.Length];
        for (long y = 0; y < kh; y++)
            for (long x = 0; x < kw; x++)
                for (long i = 0; i < cin; i++)
                    for (long o = 0; o < cout; o++)
                    {
                        float w = tf[((y * kw + x) * cin + i) * cout + o];
                        long target = depthwise ? ((i * cout + o) * kh + y) * kw + x : ((o * cin + i) * kh + y) * kw + x;
                        result[target] = w;
                    }
        return result;
    }

    private static long[] Broadcast(long[] a, long[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var shape = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long da = i - (rank - a.Length) is var ia && ia >= 0 ? a[ia] : 1;
            long db = i - (rank - b.Length) is var ib && ib >= 0 ? b[ib] : 1;
            shape[i] = da == 1 ? db : db == 1 ? da : Math.Max(da, db);
        }
        return shape;
    }
}

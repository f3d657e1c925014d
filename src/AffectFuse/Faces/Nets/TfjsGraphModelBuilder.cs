using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets;

/// <summary>Checks each node of a parsed TF.js graph and turns it into PyTorch terms (layers with NCHW weights,
/// reduction axes, execution order); every problem becomes an <see cref="AffectFuseException"/> naming the node.</summary>
internal sealed class TfjsGraphModelBuilder(TfjsGraphModelFile file)
{
    private readonly Dictionary<string, TfjsGraphModelNode> byName = Index(file);

    private static Dictionary<string, TfjsGraphModelNode> Index(TfjsGraphModelFile file)
    {
        var map = new Dictionary<string, TfjsGraphModelNode>(StringComparer.Ordinal);
        foreach (var node in file.Nodes)
            if (!map.TryAdd(node.Name, node))
                throw new AffectFuseException(file.Path, $"two nodes are named '{node.Name}'");
        return map;
    }

    /// <summary>All nodes, each after its inputs; unknown ops are reported before anything else.</summary>
    public List<TfjsGraphModelNode> TopologicalOrder()
    {
        foreach (var node in file.Nodes)
        {
            if (!TfjsGraphModel.SupportedOps.Contains(node.Op))
                throw Unsupported(node);
            foreach (string input in node.Inputs)
            {
                if (input.Contains(':'))
                    throw Fail(node, $"reads output '{input}'; only single-output ops are supported");
                if (!byName.ContainsKey(input))
                    throw Fail(node, $"input '{input}' is not a node of the graph");
            }
        }
        var order = new List<TfjsGraphModelNode>(file.Nodes.Count);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = visiting, 2 = done
        foreach (var node in file.Nodes)
            Visit(node, state, order);
        return order;
    }

    private void Visit(TfjsGraphModelNode root, Dictionary<string, int> state, List<TfjsGraphModelNode> order)
    {
        // Iterative depth-first search: deep graphs must not overflow the stack.
        var stack = new Stack<(TfjsGraphModelNode Node, int Next)>();
        if (state.ContainsKey(root.Name))
            return;
        stack.Push((root, 0));
        state[root.Name] = 1;
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node.Inputs.Count)
            {
                stack.Push((node, next + 1));
                var input = byName[node.Inputs[next]];
                if (!state.TryGetValue(input.Name, out int s))
                {
                    state[input.Name] = 1;
                    stack.Push((input, 0));
                }
                else if (s == 1)
                    throw Fail(node, $"the graph has a cycle through '{input.Name}'");
                continue;
            }
            state[node.Name] = 2;
            order.Add(node);
        }
    }

    /// <summary>The node <c>forward</c> returns: the signature's first output, else the single node nothing reads.</summary>
    public string OutputName()
    {
        if (file.SignatureOutputs.Count > 0)
        {
            string name = file.SignatureOutputs[0];
            return byName.ContainsKey(name) ? name : throw new AffectFuseException(file.Path, $"signature output '{name}' is not a node of the graph");
        }
        var read = file.Nodes.SelectMany(n => n.Inputs).ToHashSet(StringComparer.Ordinal);
        var sinks = file.Nodes.Where(n => !read.Contains(n.Name) && n.Op != "Const").ToList();
        return sinks.Count == 1 ? sinks[0].Name
            : throw new AffectFuseException(file.Path, $"no signature and {sinks.Count} candidate outputs ({string.Join(", ", sinks.Select(s => s.Name))})");
    }

    /// <summary>A _FusedConv2D or DepthwiseConv2dNative node as a layer with PyTorch-layout weights.</summary>
    public nn.Module<Tensor, Tensor> Convolution(TfjsGraphModelNode node)
    {
        bool depthwise = node.Op == "DepthwiseConv2dNative";
        RequireNhwc(node);
        bool relu = false;
        bool hasBias = false;
        if (!depthwise)
        {
            string[] fused = node.GetStrings("fused_ops") ?? [];
            foreach (var (op, i) in fused.Select((op, i) => (op, i)))
            {
                if (op == "BiasAdd" && i == 0)
                    hasBias = true;
                else if (op == "Relu" && i == fused.Length - 1)
                    relu = true;
                else
                    throw new AffectFuseException(file.Path, $"unsupported fused op '{op}' in node '{node.Name}' (_FusedConv2D supports BiasAdd [+ Relu])");
            }
        }
        RequireInputs(node, node.Inputs.Count, hasBias ? 3 : 2);
        var filter = Weight(node, node.Inputs[1]);
        if (filter.Shape.Length != 4)
            throw Fail(node, $"filter '{filter.Name}' has shape [{string.Join(",", filter.Shape)}], expected [kh,kw,in,out]");
        long[] strides = Spatial(node, "strides");
        long[] dilations = Spatial(node, "dilations");
        bool same = Padding(node);
        using var tf = filter.ToTensor();
        // TF filters are [kh,kw,in,out] (depthwise: [kh,kw,in,multiplier], output channel = in*multiplier + m).
        Tensor oihw = depthwise
            ? tf.permute(2, 3, 0, 1).reshape(filter.Shape[2] * filter.Shape[3], 1, filter.Shape[0], filter.Shape[1])
            : tf.permute(3, 2, 0, 1);
        long outChannels = oihw.shape[0];
        Tensor? bias = null;
        if (hasBias)
        {
            var b = Weight(node, node.Inputs[2]);
            if (b.Shape.Length != 1 || b.Shape[0] != outChannels)
                throw Fail(node, $"bias '{b.Name}' has shape [{string.Join(",", b.Shape)}], expected [{outChannels}]");
            bias = b.ToTensor();
        }
        return new TfjsGraphModelConv2d(node.Name, oihw, bias, strides, dilations, depthwise ? filter.Shape[2] : 1, same, relu);
    }

    /// <summary>A MaxPool node as a layer.</summary>
    public nn.Module<Tensor, Tensor> MaxPool(TfjsGraphModelNode node)
    {
        RequireNhwc(node);
        RequireInputs(node, node.Inputs.Count, 1);
        return new TfjsGraphModelMaxPool(node.Name, Spatial(node, "ksize"), Spatial(node, "strides"), Padding(node));
    }

    /// <summary>A Mean node's reduction axes (TF order, from its Const second input) and keep_dims flag.</summary>
    public (long[] Axes, bool KeepDims) Reduction(TfjsGraphModelNode node)
    {
        RequireInputs(node, node.Inputs.Count, 2);
        var w = Weight(node, node.Inputs[1]);
        if (w.Ints is null)
            throw Fail(node, $"reduction indices '{w.Name}' must be int32");
        return (w.Ints.Select(i => (long)i).ToArray(), node.GetBool("keep_dims") ?? false);
    }

    /// <summary>A Const node's value, for consts that ops read as data.</summary>
    public Tensor Constant(TfjsGraphModelNode node) =>
        file.Weights.TryGetValue(node.Name, out var w) ? w.ToTensor()
            : throw Fail(node, "Const has no entry in weightsManifest");

    /// <summary>Checks the number of data inputs of a node and returns them.</summary>
    public int[] RequireInputs(TfjsGraphModelNode node, int[] inputs, int count)
    {
        RequireInputs(node, inputs.Length, count);
        return inputs;
    }

    /// <summary>The error for an op outside <see cref="TfjsGraphModel.SupportedOps"/>.</summary>
    public AffectFuseException Unsupported(TfjsGraphModelNode node) =>
        new(file.Path, $"unsupported op '{node.Op}' at node '{node.Name}' (supported: {string.Join(", ", TfjsGraphModel.SupportedOps)})");

    /// <summary>Throws unless the node has <paramref name="count"/> inputs (<paramref name="actual"/>).</summary>
    public void RequireInputs(TfjsGraphModelNode node, int actual, int count)
    {
        if (actual != count)
            throw Fail(node, $"has {actual} inputs, expected {count}");
    }

    /// <summary>The weight a node's Const input holds (the ONNX writer reads the same weights).</summary>
    public TfjsGraphModelWeight Weight(TfjsGraphModelNode node, string constName)
    {
        var source = byName[constName];
        if (source.Op != "Const")
            throw Fail(node, $"input '{constName}' must be a Const (weights computed at run time are not supported)");
        return file.Weights.TryGetValue(constName, out var w) ? w
            : throw Fail(node, $"Const '{constName}' has no entry in weightsManifest");
    }

    /// <summary>Throws unless the node's data format is NHWC.</summary>
    public void RequireNhwc(TfjsGraphModelNode node)
    {
        string format = node.GetString("data_format") ?? "NHWC";
        if (format != "NHWC")
            throw Fail(node, $"data_format '{format}' is not supported (only NHWC)");
    }

    /// <summary>True for TF 'SAME' padding, false for 'VALID'; anything else throws.</summary>
    public bool Padding(TfjsGraphModelNode node) => node.GetString("padding") switch
    {
        "SAME" => true,
        "VALID" => false,
        var p => throw Fail(node, $"padding '{p}' is not supported (only SAME and VALID)"),
    };

    /// <summary>An NHWC 4-vector attribute [1, h, w, 1] as [h, w]; absent means [1, 1].</summary>
    public long[] Spatial(TfjsGraphModelNode node, string attr)
    {
        long[]? v = node.GetInts(attr);
        if (v is null || v.Length == 0)
            return [1, 1];
        if (v.Length != 4 || v[0] != 1 || v[3] != 1 || v[1] < 1 || v[2] < 1)
            throw Fail(node, $"{attr} [{string.Join(",", v)}] is not supported (expected [1,h,w,1])");
        return [v[1], v[2]];
    }

    /// <summary>The error for a node, naming the file, the node and its op.</summary>
    public AffectFuseException Fail(TfjsGraphModelNode node, string problem) =>
        new(file.Path, $"node '{node.Name}' ({node.Op}): {problem}");
}

using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace AffectFuse.Faces.Nets;

/// <summary>Writes an ONNX graph with OnnxSharp's protobuf types: float32 inputs and outputs, float32 initialisers,
/// nodes whose outputs get unique names, serialised to the bytes an <c>InferenceSession</c> loads from memory.</summary>
internal sealed class OnnxGraphBuilder
{
    // Opset 17 and IR 8: long supported by ONNX Runtime 1.31, and nothing this graph uses changed after them.
    private const long Opset = 17;
    private const long IrVersion = 8;

    private readonly GraphProto graph;
    private int nodeCount;

    public OnnxGraphBuilder(string name) => graph = new GraphProto { Name = name };

    /// <summary>Declares a float32 graph input; a null dimension is the symbolic batch size "N".</summary>
    public string Input(string name, params long?[] dims)
    {
        graph.Input.Add(FloatValue(name, dims));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> (a node's output) a float32 graph output.</summary>
    public void Output(string value, params long?[] dims) => graph.Output.Add(FloatValue(value, dims));

    /// <summary>A float32 constant, stored as raw little-endian bytes (the compact form, and what ORT reads fastest).</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        if (values.Length != dims.Aggregate(1L, (a, b) => a * b))
            throw new ArgumentException($"initialiser '{name}' has {values.Length} values for shape [{string.Join(",", dims)}]", nameof(values));
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a node with one output, named after its operator and position, and returns that name.</summary>
    public string Node(string op, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        NamedNode(op, inputs, $"{op.ToLowerInvariant()}_{nodeCount}", attributes);

    /// <summary>Adds a node whose one output is called <paramref name="output"/> (a graph output's public name).</summary>
    public string NamedNode(string op, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        nodeCount++;
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return output;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>The finished model, serialised.</summary>
    public byte[] ToBytes()
    {
        var model = new ModelProto { IrVersion = IrVersion, ProducerName = "AffectFuse", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }

    private static ValueInfoProto FloatValue(string name, long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is { } size ? new TensorShapeProto.Types.Dimension { DimValue = size } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}

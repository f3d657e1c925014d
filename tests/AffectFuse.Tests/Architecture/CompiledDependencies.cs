using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace AffectFuse.Tests.Architecture;

/// <summary>Which namespaces each namespace of a compiled assembly uses, read from the assembly itself: base types and
/// interfaces, field, method, property and local signatures, attributes, generic constraints and every type, method and
/// field token in the method bodies. What the compiler resolved is what counts — a partial namespace, a global using or
/// a csproj &lt;Using&gt; cannot hide a dependency. Nested and compiler-generated types (lambdas, async state machines)
/// count for the namespace of the type that declares them.</summary>
internal sealed class CompiledDependencies
{
    private readonly Dictionary<string, HashSet<string>> _uses = [];

    /// <summary>The pseudo-namespace under which the entry point's type (the composition root) is listed.</summary>
    public const string EntryPoint = "(entry point)";

    /// <summary>Namespace → the namespaces (of any assembly) its code uses, itself excluded.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Uses => _uses;

    public static CompiledDependencies Read(string assemblyPath)
    {
        var result = new CompiledDependencies();
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        new Reader(pe, pe.GetMetadataReader(), result._uses).ReadAll();
        return result;
    }

    private sealed class Reader(PEReader pe, MetadataReader md, Dictionary<string, HashSet<string>> uses) : ISignatureTypeProvider<string?, object?>
    {
        private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields()
            .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);
        private HashSet<string> _current = [];
        private string _own = "";

        public void ReadAll()
        {
            foreach (var handle in md.TypeDefinitions)
            {
                var type = md.GetTypeDefinition(handle);
                _own = handle == EntryType() ? EntryPoint : NamespaceOf(handle);
                // Compiler-generated helpers (<PrivateImplementationDetails>, generated regexes, embedded attributes) are no folder's.
                if (_own != EntryPoint && !_own.StartsWith("AffectFuse", StringComparison.Ordinal)) continue;
                if (!uses.TryGetValue(_own, out _current!)) uses[_own] = _current = [];
                ReadType(type);
            }
            foreach (var set in uses) set.Value.Remove(set.Key);
        }

        private void ReadType(TypeDefinition type)
        {
            Add(type.BaseType);
            foreach (var i in type.GetInterfaceImplementations()) Add(md.GetInterfaceImplementation(i).Interface);
            Attributes(type.GetCustomAttributes());
            foreach (var g in type.GetGenericParameters())
                foreach (var c in md.GetGenericParameter(g).GetConstraints()) Add(md.GetGenericParameterConstraint(c).Type);
            foreach (var f in type.GetFields())
            {
                var field = md.GetFieldDefinition(f);
                field.DecodeSignature(this, null);
                Attributes(field.GetCustomAttributes());
            }
            foreach (var p in type.GetProperties())
            {
                var property = md.GetPropertyDefinition(p);
                property.DecodeSignature(this, null);
                Attributes(property.GetCustomAttributes());
            }
            foreach (var m in type.GetMethods()) ReadMethod(md.GetMethodDefinition(m));
        }

        private void ReadMethod(MethodDefinition method)
        {
            method.DecodeSignature(this, null);
            Attributes(method.GetCustomAttributes());
            foreach (var p in method.GetParameters()) Attributes(md.GetParameter(p).GetCustomAttributes());
            if (method.RelativeVirtualAddress == 0) return;
            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
                md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null);
            ReadIl(body.GetILReader());
        }

        private void ReadIl(BlobReader il)
        {
            while (il.RemainingBytes > 0)
            {
                short value = il.ReadByte();
                if (value == 0xFE) value = unchecked((short)(0xFE00 | il.ReadByte()));
                if (!OpCodesByValue.TryGetValue(value, out var op))
                    throw new InvalidDataException($"not an IL opcode: {value} at {il.Offset - 1}");
                switch (op.OperandType)
                {
                    case OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok:
                        AddToken(il.ReadInt32());
                        break;
                    case OperandType.InlineSwitch:
                        int targets = il.ReadInt32();
                        il.Offset += 4 * targets;
                        break;
                    default:
                        il.Offset += OperandSize(op.OperandType);
                        break;
                }
            }
        }

        private static int OperandSize(OperandType t) => t switch
        {
            OperandType.InlineNone => 0,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
            OperandType.InlineVar => 2,
            OperandType.InlineI8 or OperandType.InlineR => 8,
            _ => 4,
        };

        private void AddToken(int token) => Add(MetadataTokens.EntityHandle(token));

        private void Add(EntityHandle handle)
        {
            if (handle.IsNil) return;
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition or HandleKind.TypeReference:
                    AddNamespace(NamespaceOf(handle));
                    break;
                case HandleKind.TypeSpecification:
                    md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
                case HandleKind.MethodDefinition:
                    Add(md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.FieldDefinition:
                    Add(md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.MemberReference:
                    var member = md.GetMemberReference((MemberReferenceHandle)handle);
                    Add(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method) member.DecodeMethodSignature(this, null);
                    else member.DecodeFieldSignature(this, null);
                    break;
                case HandleKind.MethodSpecification:
                    var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    Add(spec.Method);
                    spec.DecodeSignature(this, null);
                    break;
            }
        }

        private void Attributes(CustomAttributeHandleCollection attributes)
        {
            foreach (var a in attributes) Add(md.GetCustomAttribute(a).Constructor);
        }

        private void AddNamespace(string ns)
        {
            if (ns.Length > 0) _current.Add(ns);
        }

        // The entry point's type (Program) is the composition root: it knows every command by design.
        private TypeDefinitionHandle EntryType()
        {
            int token = pe.PEHeaders.CorHeader!.EntryPointTokenOrRelativeVirtualAddress;
            return token == 0 ? default : md.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(token & 0xFFFFFF)).GetDeclaringType();
        }

        private string NamespaceOf(EntityHandle handle)
        {
            if (handle.Kind == HandleKind.TypeDefinition)
            {
                var type = md.GetTypeDefinition((TypeDefinitionHandle)handle);
                var declaring = type.GetDeclaringType();
                return declaring.IsNil ? md.GetString(type.Namespace) : NamespaceOf(declaring);
            }
            var reference = md.GetTypeReference((TypeReferenceHandle)handle);
            return reference.ResolutionScope.Kind == HandleKind.TypeReference
                ? NamespaceOf((TypeReferenceHandle)reference.ResolutionScope)
                : md.GetString(reference.Namespace);
        }

        // The signature decoder reports each type it meets; only the namespace is kept.
        public string? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) { AddNamespace(NamespaceOf(handle)); return null; }
        public string? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) { AddNamespace(NamespaceOf(handle)); return null; }
        public string? GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind)
            => reader.GetTypeSpecification(handle).DecodeSignature(this, context);
        public string? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;
        public string? GetSZArrayType(string? elementType) => null;
        public string? GetArrayType(string? elementType, ArrayShape shape) => null;
        public string? GetByReferenceType(string? elementType) => null;
        public string? GetPointerType(string? elementType) => null;
        public string? GetPinnedType(string? elementType) => null;
        public string? GetGenericInstantiation(string? genericType, ImmutableArray<string?> typeArguments) => null;
        public string? GetGenericMethodParameter(object? context, int index) => null;
        public string? GetGenericTypeParameter(object? context, int index) => null;
        public string? GetFunctionPointerType(MethodSignature<string?> signature) => null;
        public string? GetModifiedType(string? modifier, string? unmodifiedType, bool isRequired) => null;
    }
}

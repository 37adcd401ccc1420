namespace Kube.Emulator.Objects;

/// <summary>How one protobuf field of a Kubernetes message maps to its JSON form.</summary>
internal sealed record ProtobufField(string Name, ProtobufFieldKind Kind, IReadOnlyDictionary<int, ProtobufField>? Message = null);

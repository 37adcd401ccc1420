namespace Kube.Emulator.Objects;

/// <summary>The protobuf shapes used by the built-in kinds the emulator decodes.</summary>
internal enum ProtobufFieldKind
{
    String,
    Bytes,
    Integer,
    Boolean,
    Time,
    Message,
    RepeatedString,
    RepeatedMessage,
    StringMap,
    BytesMap,
}

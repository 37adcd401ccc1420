using System.Text;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Objects;

/// <summary>
/// Decodes the Kubernetes protobuf envelope (<c>k8s\0</c> + runtime.Unknown) for the built-in kinds that client-go's
/// typed clients send as protobuf (kubectl create namespace/secret/configmap/token, helm's release Secrets).
/// </summary>
internal static class KubernetesProtobuf
{
    private static readonly IReadOnlyDictionary<int, ProtobufField> OwnerReference = new Dictionary<int, ProtobufField>
    {
        [1] = new("kind", ProtobufFieldKind.String),
        [3] = new("name", ProtobufFieldKind.String),
        [4] = new("uid", ProtobufFieldKind.String),
        [5] = new("apiVersion", ProtobufFieldKind.String),
        [6] = new("controller", ProtobufFieldKind.Boolean),
        [7] = new("blockOwnerDeletion", ProtobufFieldKind.Boolean),
    };

    private static readonly IReadOnlyDictionary<int, ProtobufField> ObjectMeta = new Dictionary<int, ProtobufField>
    {
        [1] = new("name", ProtobufFieldKind.String),
        [2] = new("generateName", ProtobufFieldKind.String),
        [3] = new("namespace", ProtobufFieldKind.String),
        [5] = new("uid", ProtobufFieldKind.String),
        [6] = new("resourceVersion", ProtobufFieldKind.String),
        [7] = new("generation", ProtobufFieldKind.Integer),
        [8] = new("creationTimestamp", ProtobufFieldKind.Time),
        [9] = new("deletionTimestamp", ProtobufFieldKind.Time),
        [10] = new("deletionGracePeriodSeconds", ProtobufFieldKind.Integer),
        [11] = new("labels", ProtobufFieldKind.StringMap),
        [12] = new("annotations", ProtobufFieldKind.StringMap),
        [13] = new("ownerReferences", ProtobufFieldKind.RepeatedMessage, OwnerReference),
        [14] = new("finalizers", ProtobufFieldKind.RepeatedString),
    };

    private static readonly IReadOnlyDictionary<int, ProtobufField> DeleteOptions = new Dictionary<int, ProtobufField>
    {
        [1] = new("gracePeriodSeconds", ProtobufFieldKind.Integer),
        [2] = new("preconditions", ProtobufFieldKind.Message, new Dictionary<int, ProtobufField>
        {
            [1] = new("uid", ProtobufFieldKind.String),
            [2] = new("resourceVersion", ProtobufFieldKind.String),
        }),
        [3] = new("orphanDependents", ProtobufFieldKind.Boolean),
        [4] = new("propagationPolicy", ProtobufFieldKind.String),
        [5] = new("dryRun", ProtobufFieldKind.RepeatedString),
    };

    /// <summary>SelfSubjectAccessReview and SubjectAccessReview (the latter adds user and groups to the spec).</summary>
    private static readonly IReadOnlyDictionary<int, ProtobufField> AccessReview = new Dictionary<int, ProtobufField>
    {
        [1] = new("metadata", ProtobufFieldKind.Message, ObjectMeta),
        [2] = new("spec", ProtobufFieldKind.Message, new Dictionary<int, ProtobufField>
        {
            [1] = new("resourceAttributes", ProtobufFieldKind.Message, new Dictionary<int, ProtobufField>
            {
                [1] = new("namespace", ProtobufFieldKind.String),
                [2] = new("verb", ProtobufFieldKind.String),
                [3] = new("group", ProtobufFieldKind.String),
                [4] = new("version", ProtobufFieldKind.String),
                [5] = new("resource", ProtobufFieldKind.String),
                [6] = new("subresource", ProtobufFieldKind.String),
                [7] = new("name", ProtobufFieldKind.String),
            }),
            [2] = new("nonResourceAttributes", ProtobufFieldKind.Message, new Dictionary<int, ProtobufField>
            {
                [1] = new("path", ProtobufFieldKind.String),
                [2] = new("verb", ProtobufFieldKind.String),
            }),
            [3] = new("user", ProtobufFieldKind.String),
            [4] = new("groups", ProtobufFieldKind.RepeatedString),
        }),
    };

    private static readonly Dictionary<string, IReadOnlyDictionary<int, ProtobufField>> Kinds = new(StringComparer.Ordinal)
    {
        ["v1/Secret"] = new Dictionary<int, ProtobufField>
        {
            [1] = new("metadata", ProtobufFieldKind.Message, ObjectMeta),
            [2] = new("data", ProtobufFieldKind.BytesMap),
            [3] = new("type", ProtobufFieldKind.String),
            [4] = new("stringData", ProtobufFieldKind.StringMap),
            [5] = new("immutable", ProtobufFieldKind.Boolean),
        },
        ["v1/ConfigMap"] = new Dictionary<int, ProtobufField>
        {
            [1] = new("metadata", ProtobufFieldKind.Message, ObjectMeta),
            [2] = new("data", ProtobufFieldKind.StringMap),
            [3] = new("binaryData", ProtobufFieldKind.BytesMap),
            [4] = new("immutable", ProtobufFieldKind.Boolean),
        },
        ["v1/Namespace"] = new Dictionary<int, ProtobufField>
        {
            [1] = new("metadata", ProtobufFieldKind.Message, ObjectMeta),
            [2] = new("spec", ProtobufFieldKind.Message, new Dictionary<int, ProtobufField> { [1] = new("finalizers", ProtobufFieldKind.RepeatedString) }),
        },
        ["authentication.k8s.io/v1/TokenRequest"] = new Dictionary<int, ProtobufField>
        {
            [1] = new("metadata", ProtobufFieldKind.Message, ObjectMeta),
            [2] = new("spec", ProtobufFieldKind.Message, new Dictionary<int, ProtobufField>
            {
                [1] = new("audiences", ProtobufFieldKind.RepeatedString),
                [3] = new("boundObjectRef", ProtobufFieldKind.Message, new Dictionary<int, ProtobufField>
                {
                    [1] = new("kind", ProtobufFieldKind.String),
                    [2] = new("apiVersion", ProtobufFieldKind.String),
                    [3] = new("name", ProtobufFieldKind.String),
                    [4] = new("uid", ProtobufFieldKind.String),
                }),
                [4] = new("expirationSeconds", ProtobufFieldKind.Integer),
            }),
        },
        ["authorization.k8s.io/v1/SelfSubjectAccessReview"] = AccessReview,
        ["authorization.k8s.io/v1/SubjectAccessReview"] = AccessReview,
        ["meta.k8s.io/v1/DeleteOptions"] = DeleteOptions,
        ["v1/DeleteOptions"] = DeleteOptions,
        ["v1/ServiceAccount"] = new Dictionary<int, ProtobufField>
        {
            [1] = new("metadata", ProtobufFieldKind.Message, ObjectMeta),
            [4] = new("automountServiceAccountToken", ProtobufFieldKind.Boolean),
        },
    };

    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>Decodes an envelope, or returns null when the kind is not one the emulator understands in protobuf.</summary>
    public static JsonObject? TryDecode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            return null;
        }

        var unknown = new ProtobufReader(body[Magic.Length..].ToArray());
        string apiVersion = string.Empty, kind = string.Empty;
        byte[] raw = [];
        while (unknown.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    var typeMeta = new ProtobufReader(unknown.ReadBytes());
                    while (typeMeta.TryReadTag(out var metaField, out var metaWire))
                    {
                        if (metaField == 1)
                        {
                            apiVersion = typeMeta.ReadString();
                        }
                        else if (metaField == 2)
                        {
                            kind = typeMeta.ReadString();
                        }
                        else
                        {
                            typeMeta.Skip(metaWire);
                        }
                    }

                    break;
                case 2:
                    raw = unknown.ReadBytes();
                    break;
                default:
                    unknown.Skip(wire);
                    break;
            }
        }

        if (!Kinds.TryGetValue(apiVersion + "/" + kind, out var fields))
        {
            return null;
        }

        var obj = Decode(new ProtobufReader(raw), fields);
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    private static JsonObject Decode(ProtobufReader reader, IReadOnlyDictionary<int, ProtobufField> fields)
    {
        var obj = new JsonObject();
        while (reader.TryReadTag(out var number, out var wire))
        {
            if (!fields.TryGetValue(number, out var field))
            {
                reader.Skip(wire);
                continue;
            }

            switch (field.Kind)
            {
                case ProtobufFieldKind.String:
                    {
                        // Empty optional strings are on the wire but absent from the JSON form.
                        var text = reader.ReadString();
                        if (text.Length > 0)
                        {
                            obj[field.Name] = text;
                        }

                        break;
                    }

                case ProtobufFieldKind.Bytes:
                    obj[field.Name] = Convert.ToBase64String(reader.ReadBytes());
                    break;
                case ProtobufFieldKind.Integer:
                    obj[field.Name] = (long)reader.ReadVarint();
                    break;
                case ProtobufFieldKind.Boolean:
                    obj[field.Name] = reader.ReadVarint() != 0;
                    break;
                case ProtobufFieldKind.Time:
                    {
                        var time = new ProtobufReader(reader.ReadBytes());
                        long seconds = 0;
                        while (time.TryReadTag(out var timeField, out var timeWire))
                        {
                            if (timeField == 1)
                            {
                                seconds = (long)time.ReadVarint();
                            }
                            else
                            {
                                time.Skip(timeWire);
                            }
                        }

                        if (seconds != 0)
                        {
                            obj[field.Name] = Timestamps.Format(DateTimeOffset.FromUnixTimeSeconds(seconds));
                        }

                        break;
                    }

                case ProtobufFieldKind.Message:
                    obj[field.Name] = Decode(new ProtobufReader(reader.ReadBytes()), field.Message!);
                    break;
                case ProtobufFieldKind.RepeatedString:
                    Array(obj, field.Name).Add(reader.ReadString());
                    break;
                case ProtobufFieldKind.RepeatedMessage:
                    Array(obj, field.Name).Add(Decode(new ProtobufReader(reader.ReadBytes()), field.Message!));
                    break;
                case ProtobufFieldKind.StringMap:
                case ProtobufFieldKind.BytesMap:
                    {
                        var entry = new ProtobufReader(reader.ReadBytes());
                        string key = string.Empty;
                        byte[] value = [];
                        while (entry.TryReadTag(out var entryField, out var entryWire))
                        {
                            if (entryField == 1)
                            {
                                key = entry.ReadString();
                            }
                            else if (entryField == 2)
                            {
                                value = entry.ReadBytes();
                            }
                            else
                            {
                                entry.Skip(entryWire);
                            }
                        }

                        var map = obj[field.Name] as JsonObject ?? [];
                        obj[field.Name] = map;
                        map[key] = field.Kind == ProtobufFieldKind.StringMap ? Encoding.UTF8.GetString(value) : Convert.ToBase64String(value);
                        break;
                    }
            }
        }

        return obj;
    }

    private static JsonArray Array(JsonObject obj, string name)
    {
        if (obj[name] is JsonArray existing)
        {
            return existing;
        }

        var created = new JsonArray();
        obj[name] = created;
        return created;
    }
}

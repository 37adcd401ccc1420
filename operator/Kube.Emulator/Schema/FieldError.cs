using System.Globalization;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// One field-level validation error, rendered exactly as apimachinery's <c>field.Error</c> renders it,
/// so that users read the same message from the emulator as from a real API server.
/// </summary>
/// <param name="Path">The field path, e.g. <c>spec.port</c>; <c>&lt;nil&gt;</c> for an error about no field.</param>
/// <param name="Type">The error type.</param>
/// <param name="Detail">The detail after the value, possibly empty.</param>
/// <param name="Value">The offending value as the real server prints it; ignored for Required, Forbidden and TooLong.</param>
public sealed record FieldError(string Path, FieldErrorType Type, string Detail, JsonNode? Value)
{
    /// <summary>The path the real server prints for an error that belongs to no field.</summary>
    public const string NoFieldPath = "<nil>";

    /// <summary>The <c>reason</c> of the status cause, e.g. <c>FieldValueInvalid</c>.</summary>
    public string CauseReason => Type switch
    {
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        _ => throw new InvalidOperationException($"Unknown field error type {Type}."),
    };

    /// <summary>The message without the field, as the status cause's <c>message</c> carries it.</summary>
    public string Body
    {
        get
        {
            var body = Type switch
            {
                FieldErrorType.Required or FieldErrorType.Forbidden or FieldErrorType.TooLong => TypeText,
                _ => TypeText + ": " + GoFormat.Value(Value),
            };
            return Detail.Length == 0 ? body : body + ": " + Detail;
        }
    }

    private string TypeText => Type switch
    {
        FieldErrorType.Invalid or FieldErrorType.TypeInvalid => "Invalid value",
        FieldErrorType.Required => "Required value",
        FieldErrorType.NotSupported => "Unsupported value",
        FieldErrorType.TooLong => "Too long",
        FieldErrorType.TooMany => "Too many",
        FieldErrorType.Duplicate => "Duplicate value",
        FieldErrorType.Forbidden => "Forbidden",
        _ => throw new InvalidOperationException($"Unknown field error type {Type}."),
    };

    /// <summary>The whole message, <c>path: body</c>, as <c>field.Error.Error()</c>.</summary>
    public override string ToString() => Path + ": " + Body;

    internal static FieldError Invalid(string path, JsonNode? value, string detail) => new(path, FieldErrorType.Invalid, detail, value);

    internal static FieldError TypeInvalid(string path, JsonNode? value, string detail) => new(path, FieldErrorType.TypeInvalid, detail, value);

    internal static FieldError Required(string path, string detail) => new(path, FieldErrorType.Required, detail, null);

    internal static FieldError Forbidden(string path, string detail) => new(path, FieldErrorType.Forbidden, detail, null);

    internal static FieldError Duplicate(string path, JsonNode? value) => new(path, FieldErrorType.Duplicate, "", value);

    internal static FieldError NotSupported(string path, JsonNode? value, IEnumerable<string> supported)
    {
        var quoted = supported.Select(GoFormat.Quote).ToList();
        var detail = quoted.Count == 0 ? "" : "supported values: " + string.Join(", ", quoted);
        return new(path, FieldErrorType.NotSupported, detail, value);
    }

    internal static FieldError TooLong(string path, long maxLength)
    {
        var detail = maxLength >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"may not be more than {maxLength} {(maxLength == 1 ? "byte" : "bytes")}")
            : "value is too long";
        return new(path, FieldErrorType.TooLong, detail, null);
    }

    internal static FieldError TooMany(string path, long actual, long max)
    {
        var detail = max >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"must have at most {max} {(max == 1 ? "item" : "items")}")
            : "has too many items";
        return new(path, FieldErrorType.TooMany, detail, JsonValue.Create(actual));
    }
}

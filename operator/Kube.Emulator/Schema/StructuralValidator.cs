using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// Validates a value against its schema the way kube-openapi's <c>SchemaValidator</c> does, and turns each finding
/// into the field error apiextensions-apiserver makes of it (<c>kubeOpenAPIResultToFieldErrors</c>).
/// </summary>
internal static class StructuralValidator
{
    private const string In = "body";

    public static void Validate(JsonNode? value, SchemaNode node, string path, List<FieldError> errors) =>
        Validate(value, null, node, path, errors);

    /// <summary>
    /// Validates on update with ratcheting (CRDValidationRatcheting, on by default since Kubernetes 1.30): a value
    /// equal to its correlated old value is not validated, so that errors in unchanged fields do not block an update.
    /// </summary>
    public static void Validate(JsonNode? value, OldValue? old, SchemaNode node, string path, List<FieldError> errors)
    {
        if (old is { } correlated && correlated.Unchanged(value))
        {
            return;
        }

        var types = node.AllowedTypes;
        if (value is null)
        {
            if (types.Count > 0 && !node.Nullable)
            {
                errors.Add(FieldError.TypeInvalid(Display(path), JsonValue.Create("null"), $"{path} in {In} must be of type {string.Join(",", types)}: \"null\""));
            }

            ValidateEnum(value, node, path, errors);
            return;
        }

        var actualType = TypeOf(value);
        ValidateType(value, node, types, actualType, path, errors);
        ValidateJunctors(value, node, path, errors);
        if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String)
        {
            ValidateString(text, node, path, errors);
            ValidateFormat(text, node, path, errors);
        }

        if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
        {
            ValidateNumber(number, node, path, errors);
        }

        if (value is JsonArray array)
        {
            ValidateArray(array, old, node, path, errors);
        }

        ValidateEnum(value, node, path, errors);
        if (value is JsonObject obj)
        {
            ValidateObject(obj, old, node, path, errors);
        }
    }

    /// <summary>The JSON type go-openapi infers from a decoded Go value.</summary>
    private static string TypeOf(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => JsonNumbers.TryGetInt64(v, out _) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static void ValidateType(JsonNode value, SchemaNode node, IReadOnlyList<string> types, string actualType, string path, List<FieldError> errors)
    {
        if (types.Count == 0)
        {
            return;
        }

        var isFloatInt = actualType == "number" && types.Contains("integer") && JsonNumbers.IsIntegral((JsonValue)value);
        var isIntFloat = actualType == "integer" && types.Contains("number");
        if (node.Format.Length > 0 && actualType is not "string" and not "array")
        {
            // go-openapi checks a declared format before the type, naming the format of the decoded Go value.
            var valueFormat = actualType switch { "integer" => "int64", "number" => "float64", _ => "" };
            if (!(types.Contains(actualType) || valueFormat == node.Format || isFloatInt || isIntFloat))
            {
                errors.Add(FieldError.TypeInvalid(Display(path), JsonValue.Create(valueFormat), $"{path} in {In} must be of type {node.Format}: {GoFormat.Quote(valueFormat)}"));
                return;
            }
        }

        if (!(types.Contains(actualType) || isFloatInt || isIntFloat))
        {
            errors.Add(FieldError.TypeInvalid(Display(path), JsonValue.Create(actualType), $"{path} in {In} must be of type {string.Join(",", types)}: {GoFormat.Quote(actualType)}"));
        }
    }

    private static void ValidateJunctors(JsonNode value, SchemaNode node, string path, List<FieldError> errors)
    {
        if (node.AnyOf.Count > 0)
        {
            List<FieldError>? firstFailure = null;
            var succeeded = false;
            foreach (var alternative in node.AnyOf)
            {
                var result = new List<FieldError>();
                Validate(value, alternative, path, result);
                if (result.Count == 0)
                {
                    succeeded = true;
                    break;
                }

                firstFailure ??= result;
            }

            if (!succeeded)
            {
                errors.Add(Composite($"{GoFormat.Quote(path)} must validate at least one schema (anyOf)"));
                errors.AddRange(firstFailure!);
            }
        }

        if (node.OneOf.Count > 0)
        {
            List<FieldError>? firstFailure = null;
            var validated = 0;
            foreach (var alternative in node.OneOf)
            {
                var result = new List<FieldError>();
                Validate(value, alternative, path, result);
                if (result.Count == 0)
                {
                    validated++;
                }
                else if (validated == 0)
                {
                    firstFailure ??= result;
                }
            }

            if (validated != 1)
            {
                var additional = validated == 0 ? "Found none valid" : $"Found {validated} valid alternatives";
                errors.Add(Composite($"{GoFormat.Quote(path)} must validate one and only one schema (oneOf). {additional}"));
                if (validated == 0)
                {
                    errors.AddRange(firstFailure!);
                }
            }
        }

        if (node.AllOf.Count > 0)
        {
            var validated = 0;
            foreach (var part in node.AllOf)
            {
                var result = new List<FieldError>();
                Validate(value, part, path, result);
                validated += result.Count == 0 ? 1 : 0;
                errors.AddRange(result);
            }

            if (validated != node.AllOf.Count)
            {
                errors.Add(Composite($"{GoFormat.Quote(path)} must validate all the schemas (allOf){(validated == 0 ? ". None validated" : "")}"));
            }
        }

        if (node.Not is not null)
        {
            var result = new List<FieldError>();
            Validate(value, node.Not, path, result);
            if (result.Count == 0)
            {
                errors.Add(Composite($"{GoFormat.Quote(path)} must not validate the schema (not)"));
            }
        }
    }

    private static void ValidateString(JsonValue value, SchemaNode node, string path, List<FieldError> errors)
    {
        var text = value.GetValue<string>();
        var length = text.EnumerateRunes().Count();
        if (node.MaxLength is { } max && length > max)
        {
            errors.Add(FieldError.TooLong(Display(path), max));
        }
        else if (node.MinLength is { } min && length < min)
        {
            errors.Add(FieldError.Invalid(Display(path), value.DeepClone(), $"{path} in {In} should be at least {min} chars long"));
        }
        else if (node.PatternRegex is { } pattern && !pattern.IsMatch(text))
        {
            errors.Add(FieldError.Invalid(Display(path), value.DeepClone(), $"{path} in {In} should match '{node.Pattern}'"));
        }
    }

    private static void ValidateFormat(JsonValue value, SchemaNode node, string path, List<FieldError> errors)
    {
        if (node.Format.Length == 0 || StringFormats.IsValid(node.Format, value.GetValue<string>()))
        {
            return;
        }

        errors.Add(FieldError.TypeInvalid(Display(path), value.DeepClone(), $"{path} in {In} must be of type {node.Format}: {GoFormat.Quote(value.GetValue<string>())}"));
    }

    private static void ValidateNumber(JsonValue value, SchemaNode node, string path, List<FieldError> errors)
    {
        var isInteger = JsonNumbers.TryGetInt64(value, out var integer);
        var number = JsonNumbers.GetDouble(value);
        if (node.MultipleOf is { } factor)
        {
            var integerFactor = (long)factor;
            if (isInteger && integerFactor != 0)
            {
                if (integer / integerFactor * integerFactor != integer)
                {
                    errors.Add(FieldError.Invalid(Display(path), value.DeepClone(), $"{path} in {In} should be a multiple of {integerFactor.ToString(CultureInfo.InvariantCulture)}"));
                }
            }
            else
            {
                var multiple = factor < 1 ? 1 / factor * number : number / factor;
                if (Math.Floor(multiple) != multiple)
                {
                    errors.Add(FieldError.Invalid(Display(path), value.DeepClone(), $"{path} in {In} should be a multiple of {GoFormat.Float(factor)}"));
                }
            }
        }

        if (node.Minimum is { } minimum)
        {
            var below = isInteger
                ? node.ExclusiveMinimum ? integer <= (long)minimum : integer < (long)minimum
                : node.ExclusiveMinimum ? number <= minimum : number < minimum;
            if (below)
            {
                var bound = isInteger ? ((long)minimum).ToString(CultureInfo.InvariantCulture) : GoFormat.Float(minimum);
                var relation = node.ExclusiveMinimum ? "greater than" : "greater than or equal to";
                errors.Add(FieldError.Invalid(Display(path), value.DeepClone(), $"{path} in {In} should be {relation} {bound}"));
            }
        }

        if (node.Maximum is { } maximum)
        {
            var above = isInteger
                ? node.ExclusiveMaximum ? integer >= (long)maximum : integer > (long)maximum
                : node.ExclusiveMaximum ? number >= maximum : number > maximum;
            if (above)
            {
                var bound = isInteger ? ((long)maximum).ToString(CultureInfo.InvariantCulture) : GoFormat.Float(maximum);
                var relation = node.ExclusiveMaximum ? "less than" : "less than or equal to";
                errors.Add(FieldError.Invalid(Display(path), value.DeepClone(), $"{path} in {In} should be {relation} {bound}"));
            }
        }
    }

    private static void ValidateArray(JsonArray array, OldValue? old, SchemaNode node, string path, List<FieldError> errors)
    {
        if (node.Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], OldValue.Item(old, array[i], node), items, FieldPath.Index(path, i), errors);
            }
        }

        if (node.MinItems is { } min && array.Count < min)
        {
            errors.Add(FieldError.Invalid(Display(path), JsonValue.Create((long)array.Count), $"{path} in {In} should have at least {min} items"));
        }

        if (node.MaxItems is { } max && array.Count > max)
        {
            errors.Add(FieldError.TooMany(Display(path), array.Count, max));
        }
    }

    private static void ValidateEnum(JsonNode? value, SchemaNode node, string path, List<FieldError> errors)
    {
        if (node.Enum is not { Count: > 0 } values || value is not null && values.Any(e => JsonEquality.DeepEquals(value, e)))
        {
            return;
        }

        var supported = values.Select(v => v is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : GoFormat.Json(v));
        errors.Add(FieldError.NotSupported(Display(path), value?.DeepClone(), supported));
    }

    private static void ValidateObject(JsonObject obj, OldValue? old, SchemaNode node, string path, List<FieldError> errors)
    {
        if (node.MinProperties is { } min && obj.Count < min)
        {
            errors.Add(FieldError.Invalid(Display(path), JsonValue.Create(min), $"{path} in {In} should have at least {min} properties"));
            return;
        }

        if (node.MaxProperties is { } max && obj.Count > max)
        {
            errors.Add(FieldError.TooMany(Display(path), obj.Count, max));
            return;
        }

        foreach (var (name, property) in node.Properties)
        {
            if (obj.TryGetPropertyValue(name, out var child))
            {
                Validate(child, OldValue.Field(old, name), property, FieldPath.Child(path, name), errors);
            }
        }

        foreach (var name in node.Required)
        {
            if (!obj.ContainsKey(name))
            {
                errors.Add(FieldError.Required(Display(FieldPath.Child(path, name)), ""));
            }
        }

        if (node.AdditionalProperties is { } additional)
        {
            foreach (var (name, child) in obj)
            {
                if (node.Property(name) is null)
                {
                    Validate(child, OldValue.Field(old, name), additional, FieldPath.Child(path, name), errors);
                }
            }
        }
    }

    private static FieldError Composite(string message) => FieldError.Invalid(FieldError.NoFieldPath, JsonValue.Create(""), message);

    private static string Display(string path) => FieldPath.Display(path);
}

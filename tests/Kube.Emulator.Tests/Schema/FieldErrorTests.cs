using System.Text.Json.Nodes;
using Kube.Emulator.Schema;

namespace Kube.Emulator.Tests.Schema;

public class FieldErrorTests
{
    public static TheoryData<FieldError, string, string> Renderings => new()
    {
        { new FieldError("spec.port", FieldErrorType.Invalid, "spec.port in body should be less than or equal to 65535", JsonValue.Create(70000L)), "spec.port: Invalid value: 70000: spec.port in body should be less than or equal to 65535", "FieldValueInvalid" },
        { new FieldError("spec.host", FieldErrorType.Required, "", null), "spec.host: Required value", "FieldValueRequired" },
        { new FieldError("spec.host", FieldErrorType.Required, "must be set", JsonValue.Create("ignored")), "spec.host: Required value: must be set", "FieldValueRequired" },
        { new FieldError("spec.mode", FieldErrorType.NotSupported, "supported values: \"a\", \"b\"", JsonValue.Create("x")), "spec.mode: Unsupported value: \"x\": supported values: \"a\", \"b\"", "FieldValueNotSupported" },
        { new FieldError("spec.port", FieldErrorType.TypeInvalid, "spec.port in body must be of type integer: \"string\"", JsonValue.Create("string")), "spec.port: Invalid value: \"string\": spec.port in body must be of type integer: \"string\"", "FieldValueTypeInvalid" },
        { new FieldError("spec.name", FieldErrorType.TooLong, "may not be more than 253 bytes", JsonValue.Create("long")), "spec.name: Too long: may not be more than 253 bytes", "FieldValueTooLong" },
        { new FieldError("spec.list", FieldErrorType.TooMany, "must have at most 2 items", JsonValue.Create(3L)), "spec.list: Too many: 3: must have at most 2 items", "FieldValueTooMany" },
        { new FieldError("spec.list[1]", FieldErrorType.Duplicate, "", new JsonObject { ["name"] = "a", ["a<b"] = 1 }), "spec.list[1]: Duplicate value: {\"a\\u003cb\":1,\"name\":\"a\"}", "FieldValueDuplicate" },
        { new FieldError("spec", FieldErrorType.Forbidden, "no", null), "spec: Forbidden: no", "FieldValueForbidden" },
        { new FieldError("<nil>", FieldErrorType.Invalid, "some note", null), "<nil>: Invalid value: null: some note", "FieldValueInvalid" },
        { new FieldError("spec.ratio", FieldErrorType.Invalid, "", JsonValue.Create(1.5)), "spec.ratio: Invalid value: 1.5", "FieldValueInvalid" },
        { new FieldError("spec.ratio", FieldErrorType.Invalid, "", JsonValue.Create(1e21)), "spec.ratio: Invalid value: 1e+21", "FieldValueInvalid" },
        { new FieldError("spec.ratio", FieldErrorType.Invalid, "", JsonValue.Create(0.00001)), "spec.ratio: Invalid value: 1e-05", "FieldValueInvalid" },
        { new FieldError("spec.ratio", FieldErrorType.Invalid, "", JsonValue.Create(1e6)), "spec.ratio: Invalid value: 1e+06", "FieldValueInvalid" },
        { new FieldError("spec.ratio", FieldErrorType.Invalid, "", JsonValue.Create(123456.5)), "spec.ratio: Invalid value: 123456.5", "FieldValueInvalid" },
        { new FieldError("spec.ratio", FieldErrorType.Invalid, "", JsonValue.Create(-0.25)), "spec.ratio: Invalid value: -0.25", "FieldValueInvalid" },
        { new FieldError("spec.ratio", FieldErrorType.Invalid, "", JsonNode.Parse("123456789012345678901")), "spec.ratio: Invalid value: 1.2345678901234568e+20", "FieldValueInvalid" },
        { new FieldError("spec.on", FieldErrorType.Invalid, "", JsonValue.Create(true)), "spec.on: Invalid value: true", "FieldValueInvalid" },
        { new FieldError("spec.s", FieldErrorType.Invalid, "", JsonValue.Create("tab\there \"q\" \\ é")), "spec.s: Invalid value: \"tab\\there \\\"q\\\" \\\\ é\"", "FieldValueInvalid" },
        { new FieldError("spec.s", FieldErrorType.Invalid, "", JsonValue.Create("\u0001")), "spec.s: Invalid value: \"\\x01\"", "FieldValueInvalid" },
        { new FieldError("spec.s", FieldErrorType.Invalid, "", JsonValue.Create("a\u00a0b\u200bc😀")), "spec.s: Invalid value: \"a\\u00a0b\\u200bc😀\"", "FieldValueInvalid" },
        { new FieldError("spec.l", FieldErrorType.Invalid, "", JsonNode.Parse("[1,\"a\",null,2.5]")), "spec.l: Invalid value: [1,\"a\",null,2.5]", "FieldValueInvalid" },
    };

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Renders_as_apimachinery_field_errors(FieldError error, string expected, string causeReason)
    {
        Assert.Equal(expected, error.ToString());
        Assert.Equal(causeReason, error.CauseReason);
        Assert.Equal(expected[(error.Path.Length + 2)..], error.Body);
    }
}

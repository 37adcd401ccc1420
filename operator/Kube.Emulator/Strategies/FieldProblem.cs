namespace Kube.Emulator.Strategies;

/// <summary>One field error of an Invalid (422) answer, in the API server's wording.</summary>
/// <param name="Field">Path such as metadata.name or spec.port.</param>
/// <param name="Reason">Cause reason, e.g. FieldValueInvalid.</param>
/// <param name="Message">The error without its field, e.g. <c>Invalid value: "x": must be ...</c>.</param>
internal sealed record FieldProblem(string Field, string Reason, string Message)
{
    public override string ToString() => Field.Length == 0 ? Message : Field + ": " + Message;

    public static FieldProblem Required(string field, string detail) =>
        new(field, "FieldValueRequired", detail.Length == 0 ? "Required value" : "Required value: " + detail);

    public static FieldProblem Invalid(string field, string shownValue, string detail) =>
        new(field, "FieldValueInvalid", "Invalid value: " + shownValue + ": " + detail);

    public static FieldProblem Forbidden(string field, string detail) =>
        new(field, "FieldValueForbidden", "Forbidden: " + detail);

    public static FieldProblem Immutable(string field, string shownValue) =>
        Invalid(field, shownValue, "field is immutable");

    public static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value, Objects.JsonText.Options);
}

namespace Kube.Emulator.Schema;

/// <summary>
/// The kinds of field error the Kubernetes API server reports, as apimachinery's <c>field.ErrorType</c>.
/// </summary>
public enum FieldErrorType
{
    Invalid,
    Required,
    NotSupported,
    TooLong,
    TooMany,
    Duplicate,
    Forbidden,
    TypeInvalid,
}

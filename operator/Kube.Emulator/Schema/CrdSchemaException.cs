namespace Kube.Emulator.Schema;

/// <summary>
/// A CRD schema, CEL rule or printer column the emulator refuses, because the real API server would refuse it
/// or because the emulator cannot evaluate it faithfully. The message names the construct and its path.
/// </summary>
public sealed class CrdSchemaException : Exception
{
    public CrdSchemaException()
    {
    }

    public CrdSchemaException(string message)
        : base(message)
    {
    }

    public CrdSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

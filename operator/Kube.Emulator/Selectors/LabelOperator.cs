namespace Kube.Emulator.Selectors;

/// <summary>Label selector operators; = and == are In with one value, != is NotIn with one value.</summary>
internal enum LabelOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

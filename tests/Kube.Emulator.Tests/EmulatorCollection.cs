namespace Kube.Emulator.Tests;

/// <summary>Tests that share one <see cref="EmulatorFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class EmulatorCollection : ICollectionFixture<EmulatorFixture>
{
    public const string Name = "emulator";
}

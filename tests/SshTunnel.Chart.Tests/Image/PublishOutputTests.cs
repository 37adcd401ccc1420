using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests.Image;

/// <summary>
/// What the image carries is what <c>dotnet publish</c> of the operator compiles: the dev mode's
/// API server (Kube.Emulator) and what only it needs (CEL, ANTLR, Protobuf) must not be in it.
/// The image's build compiles the assemblies of this IL publish into one native executable, so
/// the IL publish (PublishAot off) lists what goes in.
/// </summary>
public sealed class PublishOutputTests
{
    private static readonly string[] DevOnlyAssemblies = ["Kube.Emulator", "Cel", "Antlr", "Google.Protobuf"];

    [Fact]
    public async Task The_published_operator_holds_no_emulator_cel_antlr_or_protobuf_assembly()
    {
        var output = Directory.CreateTempSubdirectory("operator-publish-");
        try
        {
            var project = Path.Combine(RepositoryPaths.Root, "operator", "SshTunnel.Operator", "SshTunnel.Operator.csproj");
            (await ProcessRunner.RunAsync("dotnet", "publish", project, "--configuration", "Release", "--output", output.FullName, "-p:UseAppHost=false", "-p:PublishAot=false"))
                .Succeeded();

            var assemblies = output.EnumerateFiles("*.dll").Select(file => Path.GetFileNameWithoutExtension(file.Name)).ToList();
            Assert.Contains("SshTunnel.Operator", assemblies);
            Assert.Contains("Kube.Controller", assemblies);
            Assert.DoesNotContain(assemblies, name => DevOnlyAssemblies.Any(devOnly => name.StartsWith(devOnly, StringComparison.OrdinalIgnoreCase)));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}

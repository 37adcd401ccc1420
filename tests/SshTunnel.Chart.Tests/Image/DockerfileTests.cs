using System.Text.Json;
using System.Xml.Linq;
using Kube.Emulator.Objects;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests.Image;

/// <summary>
/// No container engine runs here, so the Dockerfile is checked by reading it: each stage's
/// restore layer sees every project and build file its program needs, both programs are built
/// native for the target architecture, and the image runs them as non-root without a shell.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly string OperatorFolder = Path.Combine(RepositoryPaths.Root, "operator", "SshTunnel.Operator");
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(OperatorFolder, "Dockerfile"));

    /// <summary>The programs the image ships: the operator and the forwarder its SshPortForward Deployments run.</summary>
    private static readonly string[] ShippedProjects =
    [
        Path.Combine(OperatorFolder, "SshTunnel.Operator.csproj"),
        Path.Combine(RepositoryPaths.Root, "operator", "SshTunnel.Forwarder", "SshTunnel.Forwarder.csproj"),
    ];

    [Fact]
    public void Every_project_the_image_builds_from_is_copied_before_the_restore_of_its_stage()
    {
        var checkedProjects = 0;
        foreach (var shipped in ShippedProjects)
        {
            var relative = Path.GetRelativePath(RepositoryPaths.Root, shipped).Replace('\\', '/');
            var stage = Assert.Single(Stages(), lines => lines.Any(line => line.Contains("dotnet publish " + relative, StringComparison.Ordinal)));
            var copiedBeforeRestore = CopiedSources(stage.TakeWhile(line => !line.Contains("dotnet restore", StringComparison.Ordinal)));
            var projects = ProjectClosure(shipped).Select(project => Path.GetRelativePath(RepositoryPaths.Root, project).Replace('\\', '/')).ToList();

            Assert.All(projects, project => Assert.Contains(project, copiedBeforeRestore));
            checkedProjects += projects.Count;
        }

        Assert.Equal(6, checkedProjects);
    }

    [Fact]
    public void No_project_outside_the_images_build_is_copied()
    {
        var projectFolders = ShippedClosure()
            .Select(project => Path.GetRelativePath(RepositoryPaths.Root, Path.GetDirectoryName(project)!).Replace('\\', '/') + "/")
            .ToList();

        var copiedFromOperator = CopiedSources(Lines).Where(source => source.StartsWith("operator/", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(copiedFromOperator);
        Assert.All(copiedFromOperator, source => Assert.Contains(projectFolders, folder => source.StartsWith(folder, StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_build_file_at_the_repository_root_is_copied()
    {
        var copied = CopiedSources(Lines);

        var buildFiles = Directory.EnumerateFiles(RepositoryPaths.Root)
            .Select(Path.GetFileName)
            .Where(name => name is "global.json" or ".editorconfig" or "BannedSymbols.txt"
                || name!.StartsWith("Directory.", StringComparison.Ordinal)
                || name.Equals("nuget.config", StringComparison.OrdinalIgnoreCase))
            .ToList();

        Assert.Contains("Directory.Build.props", buildFiles);
        Assert.All(buildFiles, file => Assert.Contains(file!, copied));
    }

    [Fact]
    public void The_runtime_stage_runs_the_native_operator_as_a_numeric_non_root_user_without_a_shell_or_dotnet()
    {
        var stages = Stages();
        var runtime = stages[^1];

        Assert.Equal(2, stages.Count);
        Assert.Contains("mcr.microsoft.com/dotnet/sdk:10.0", stages[0][0], StringComparison.Ordinal);
        Assert.Contains("mcr.microsoft.com/dotnet/runtime-deps:10.0", runtime[0], StringComparison.Ordinal);
        Assert.Contains("chiseled", runtime[0], StringComparison.Ordinal);
        Assert.DoesNotContain(runtime, line => line.StartsWith("RUN ", StringComparison.Ordinal));
        var user = Assert.Single(runtime, line => line.StartsWith("USER ", StringComparison.Ordinal));
        Assert.Matches(@"^USER [1-9][0-9]*:[1-9][0-9]*$", user);
        Assert.Equal("ENTRYPOINT [\"/app/ssh-tunnel-operator\"]", runtime[^1]);
    }

    [Fact]
    public void Both_programs_are_published_native_for_the_images_own_architecture()
    {
        var native = Assert.Single(Stages(), stage => stage.Any(line => line.Contains("dotnet publish", StringComparison.Ordinal)));

        Assert.DoesNotContain("$BUILDPLATFORM", native[0], StringComparison.Ordinal);
        Assert.Contains(native, line => line.Contains("clang", StringComparison.Ordinal));
        foreach (var shipped in ShippedProjects)
        {
            var relative = Path.GetRelativePath(RepositoryPaths.Root, shipped).Replace('\\', '/');
            Assert.Equal("true", XDocument.Load(shipped).Descendants("PublishAot").Single().Value);
            Assert.Contains(native, line => line.Contains("dotnet restore " + relative, StringComparison.Ordinal) && line.Contains("--runtime", StringComparison.Ordinal));
            var publish = Array.FindIndex(native, line => line.Contains("dotnet publish " + relative, StringComparison.Ordinal));
            Assert.Contains("--no-restore --runtime", native[publish + 1], StringComparison.Ordinal);
        }

        Assert.Contains(Stages()[^1], line => line.StartsWith("COPY --from=native /operator/SshTunnel.Operator ./ssh-tunnel-operator", StringComparison.Ordinal));
        Assert.Contains(Stages()[^1], line => line.StartsWith("COPY --from=native /forwarder/SshTunnel.Forwarder ./forwarder/", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_native_library_a_program_loads_is_copied_into_the_folder_of_its_executable()
    {
        var stages = Stages();
        var native = Assert.Single(stages, stage => stage.Any(line => line.Contains("dotnet publish", StringComparison.Ordinal)));
        var copies = stages[^1].Where(line => line.StartsWith("COPY --from=native ", StringComparison.Ordinal))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2..])
            .ToList();
        var libraries = 0;
        foreach (var shipped in ShippedProjects)
        {
            var relative = Path.GetRelativePath(RepositoryPaths.Root, shipped).Replace('\\', '/');
            var publish = Array.FindIndex(native, line => line.Contains("dotnet publish " + relative, StringComparison.Ordinal));
            var output = native[publish + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(word => word != "--output").ElementAt(1);
            var executable = $"{output}/{Path.GetFileNameWithoutExtension(shipped)}";
            var folder = DestinationFolder(Assert.Single(copies, copy => copy[..^1].Contains(executable)));

            foreach (var library in LinuxNativeLibraries(shipped))
            {
                Assert.Contains(copies, copy => copy[..^1].Contains($"{output}/{library}") && DestinationFolder(copy) == folder);
                libraries++;
            }
        }

        // libsodium (Geralt's Ed25519) for each program: a package that adds one must add its COPY too.
        Assert.True(libraries >= 2, $"found {libraries} native libraries; is the solution built (obj/project.assets.json)?");
    }

    [Fact]
    public void The_charts_pod_runs_as_the_images_user()
    {
        var user = Lines.Single(line => line.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Split(':');
        var values = YamlJson.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "values.yaml")))!;

        Assert.Equal(user[0], ((long?)values["podSecurityContext"]?["runAsUser"])?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(user[1], ((long?)values["podSecurityContext"]?["runAsGroup"])?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The lines of each stage, its FROM first.</summary>
    private static List<string[]> Stages()
    {
        var starts = Lines.Select((line, index) => (line, index)).Where(entry => entry.line.StartsWith("FROM ", StringComparison.Ordinal)).Select(entry => entry.index).ToList();
        return [.. starts.Select((start, i) => Lines[start..(i + 1 < starts.Count ? starts[i + 1] : Lines.Length)])];
    }

    /// <summary>The source paths of the COPY instructions (not COPY --from), as written.</summary>
    private static HashSet<string> CopiedSources(IEnumerable<string> lines) =>
        lines.Where(line => line.StartsWith("COPY ", StringComparison.Ordinal) && !line.StartsWith("COPY --from", StringComparison.Ordinal))
            .SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Where a <c>COPY</c> puts its files: its destination when that is a folder, else the destination's folder.</summary>
    private static string DestinationFolder(string[] copy) =>
        copy[^1].EndsWith('/') ? copy[^1] : copy[^1][..(copy[^1].LastIndexOf('/') + 1)];

    /// <summary>The file names of the native libraries the project's packages bring for linux-x64, from its restore.</summary>
    private static HashSet<string> LinuxNativeLibraries(string project)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(project)!, "obj", "project.assets.json")));
        return assets.RootElement.GetProperty("targets").EnumerateObject()
            .SelectMany(target => target.Value.EnumerateObject())
            .Where(package => package.Value.TryGetProperty("runtimeTargets", out _))
            .SelectMany(package => package.Value.GetProperty("runtimeTargets").EnumerateObject())
            .Where(asset => asset.Value.GetProperty("assetType").GetString() == "native" && asset.Value.GetProperty("rid").GetString() == "linux-x64")
            .Select(asset => Path.GetFileName(asset.Name))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static HashSet<string> ShippedClosure() => ShippedProjects.SelectMany(ProjectClosure).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(next).Descendants("ProjectReference"))
            {
                var relative = ((string?)reference.Attribute("Include") ?? string.Empty).Replace('\\', '/');
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next)!, relative)));
            }
        }

        return seen;
    }
}

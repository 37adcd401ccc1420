using System.Text;

namespace Kube.Emulator.Hosting;

/// <summary>Writes a kubeconfig (one cluster, user, context, current-context) pointing at the emulator.</summary>
internal static class KubeconfigWriter
{
    public const string Name = "kube-emulator";

    public static string Write(string path, Uri server, string token = Name)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var text = new StringBuilder()
            .Append("apiVersion: v1\n")
            .Append("kind: Config\n")
            .Append("clusters:\n")
            .Append("- name: ").Append(Name).Append('\n')
            .Append("  cluster:\n")
            .Append("    server: ").Append(server.GetLeftPart(UriPartial.Authority)).Append('\n')
            .Append("users:\n")
            .Append("- name: ").Append(Name).Append('\n')
            .Append("  user:\n")
            .Append("    token: ").Append(token).Append('\n')
            .Append("contexts:\n")
            .Append("- name: ").Append(Name).Append('\n')
            .Append("  context:\n")
            .Append("    cluster: ").Append(Name).Append('\n')
            .Append("    user: ").Append(Name).Append('\n')
            .Append("    namespace: default\n")
            .Append("current-context: ").Append(Name).Append('\n')
            .ToString();
        File.WriteAllText(full, text);
        return full;
    }
}

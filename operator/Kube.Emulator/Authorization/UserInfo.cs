namespace Kube.Emulator.Authorization;

/// <summary>Who a request is from, as the API server's authenticators describe a user: a name and groups.</summary>
internal sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string ServiceAccountPrefix = "system:serviceaccount:";

    /// <summary>The kubeconfig's user: in system:masters, which every authorizer lets through.</summary>
    public static readonly UserInfo Admin = new("kube-emulator", ["system:masters", "system:authenticated"]);

    /// <summary>Whoever a request is from when its credentials are refused.</summary>
    public static readonly UserInfo Anonymous = new("system:anonymous", ["system:unauthenticated"]);

    public bool IsMaster => Groups.Contains("system:masters");

    /// <summary>A ServiceAccount's user, with the groups the service account authenticator gives it.</summary>
    public static UserInfo ServiceAccount(string namespaceName, string name) =>
        new(ServiceAccountPrefix + namespaceName + ":" + name, ["system:serviceaccounts", "system:serviceaccounts:" + namespaceName, "system:authenticated"]);
}

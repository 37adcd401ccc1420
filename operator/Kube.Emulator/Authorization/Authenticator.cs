using System.Collections.Concurrent;
using System.Security.Cryptography;
using Kube.Emulator.Api;
using Kube.Emulator.Discovery;
using Microsoft.AspNetCore.Http;

namespace Kube.Emulator.Authorization;

/// <summary>
/// Tells who sent a request: a bearer token the emulator issued for a ServiceAccount (which must still exist), or the
/// impersonation headers kubectl's <c>--as</c> and <c>--as-group</c> send; anything else is the kubeconfig's admin.
/// </summary>
internal sealed class Authenticator(ResourceRegistry registry)
{
    private readonly ConcurrentDictionary<string, (string Namespace, string Name)> tokens = new(StringComparer.Ordinal);
    private readonly RbacAuthorizer rbac = new(registry);

    /// <summary>A new bearer token that authenticates as the ServiceAccount <paramref name="namespaceName"/>/<paramref name="name"/>.</summary>
    public string Issue(string namespaceName, string name)
    {
        var token = "kube-emulator-sa." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        tokens[token] = (namespaceName, name);
        return token;
    }

    /// <summary>The request's user; when its credentials are refused, <paramref name="failure"/> says how to answer (the user is then anonymous).</summary>
    public UserInfo Authenticate(HttpRequest request, out ApiException? failure)
    {
        try
        {
            failure = null;
            return Authenticate(request);
        }
        catch (ApiException refused)
        {
            failure = refused;
            return UserInfo.Anonymous;
        }
    }

    private UserInfo Authenticate(HttpRequest request)
    {
        var user = UserInfo.Admin;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal) && tokens.TryGetValue(authorization["Bearer ".Length..].Trim(), out var account))
        {
            // The real service account authenticator refuses a token whose ServiceAccount is gone.
            var accounts = registry.Find(string.Empty, "v1", "serviceaccounts")!;
            if (accounts.Store.Get(accounts.KeyOf(account.Namespace, account.Name)) is null)
            {
                throw new ApiException(401, "Unauthorized", "Unauthorized");
            }

            user = UserInfo.ServiceAccount(account.Namespace, account.Name);
        }

        return Impersonated(request, user);
    }

    /// <summary>
    /// Impersonate-User and Impersonate-Group, as the impersonation filter applies them: the requester needs the
    /// impersonate verb on the ServiceAccount (or user) and on each group, which system:masters has.
    /// </summary>
    private UserInfo Impersonated(HttpRequest request, UserInfo user)
    {
        var name = request.Headers["Impersonate-User"].ToString();
        var groups = request.Headers["Impersonate-Group"].Where(group => !string.IsNullOrEmpty(group)).Select(group => group!).ToList();
        if (name.Length == 0)
        {
            return groups.Count == 0 ? user : throw ApiErrors.BadRequest("requested [Impersonate-Group] without impersonating a user");
        }

        var account = name.StartsWith(UserInfo.ServiceAccountPrefix, StringComparison.Ordinal) && name[UserInfo.ServiceAccountPrefix.Length..].Split(':') is [var accountNamespace, var accountName]
            ? (Namespace: accountNamespace, Name: accountName)
            : ((string Namespace, string Name)?)null;
        Permit(user, account is { } serviceAccount ? Impersonation("serviceaccounts", serviceAccount.Namespace, serviceAccount.Name) : Impersonation("users", null, name));
        foreach (var group in groups)
        {
            Permit(user, Impersonation("groups", null, group));
        }

        if (groups.Count == 0 && account is { } impersonated)
        {
            return UserInfo.ServiceAccount(impersonated.Namespace, impersonated.Name);
        }

        if (name != "system:anonymous" && !groups.Contains("system:authenticated"))
        {
            groups.Add("system:authenticated");
        }

        return new UserInfo(name, groups);
    }

    private static RequestInfo Impersonation(string resource, string? namespaceName, string name) =>
        new(string.Empty, "impersonate", string.Empty, "v1", resource, null, namespaceName, name, string.Empty);

    private void Permit(UserInfo user, RequestInfo impersonation)
    {
        if (rbac.Refusal(user, impersonation) is { } refusal)
        {
            throw refusal;
        }
    }
}

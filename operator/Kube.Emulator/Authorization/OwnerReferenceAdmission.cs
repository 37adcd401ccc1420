using System.Text.Json.Nodes;
using Kube.Emulator.Api;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Authorization;

/// <summary>
/// kube-apiserver's OwnerReferencesPermissionEnforcement admission plugin (off in its default set,
/// on in OpenShift): changing an object's ownerReferences needs <c>delete</c> on the object (a create
/// is exempt), and a new <c>blockOwnerDeletion: true</c> needs <c>update</c> on the owner's
/// <c>finalizers</c> subresource. Applies to users RBAC governs; a refusal is 403 in the real wording.
/// </summary>
internal sealed class OwnerReferenceAdmission(ResourceRegistry registry, RbacAuthorizer rbac, UserInfo user, RequestInfo request, Action refused)
{
    /// <summary>Throws Forbidden when <paramref name="next"/> (replacing <paramref name="current"/>, null on create) sets owner references the user may not set.</summary>
    public void Check(ResourceType type, string name, JsonObject next, JsonObject? current)
    {
        var references = next.Meta().GetArray("ownerReferences") ?? [];
        var previous = current?.Meta().GetArray("ownerReferences") ?? [];
        if (user.IsMaster || JsonTree.DeepEquals(references, previous))
        {
            return;
        }

        if (current is not null && !rbac.Allows(user, request with { Verb = "delete", Subresource = null, Name = name }))
        {
            throw Refuse(type, name, "cannot set an ownerRef on a resource you can't delete: , <nil>");
        }

        foreach (var reference in references.OfType<JsonObject>().Where(reference => IsNewlyBlocking(reference, previous)))
        {
            var apiVersion = reference.GetString("apiVersion");
            var kind = reference.GetString("kind");
            foreach (var owner in registry.All.Where(candidate => candidate.ApiVersion == apiVersion && candidate.Kind == kind))
            {
                var finalizers = new RequestInfo(
                    "PUT", "update", owner.Group, owner.Version, owner.Plural, "finalizers", owner.Namespaced ? request.Namespace : null, reference.GetString("name"), request.Path);
                if (!rbac.Allows(user, finalizers))
                {
                    throw Refuse(type, name, "cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: , <nil>");
                }
            }
        }
    }

    private static bool IsNewlyBlocking(JsonObject reference, JsonArray previous) =>
        reference["blockOwnerDeletion"]?.GetValueKind() == System.Text.Json.JsonValueKind.True
        && !previous.OfType<JsonObject>().Any(old =>
            old.GetString("uid") == reference.GetString("uid") && old["blockOwnerDeletion"]?.GetValueKind() == System.Text.Json.JsonValueKind.True);

    private ApiException Refuse(ResourceType type, string name, string detail)
    {
        refused();
        return ApiErrors.Forbidden(type, name, detail);
    }
}

using Microsoft.AspNetCore.Http;

namespace Kube.Emulator.Api;

/// <summary>Query options of a write: dryRun, fieldManager, fieldValidation; collects warnings for the Warning header.</summary>
internal sealed class WriteOptions
{
    public bool DryRun { get; init; }

    public string FieldManager { get; init; } = "unknown";

    /// <summary>Strict, Warn or Ignore.</summary>
    public string FieldValidation { get; init; } = "Warn";

    public List<string> Warnings { get; } = [];

    /// <summary>The owner reference admission check of the request's user, when the emulator enforces it.</summary>
    public Authorization.OwnerReferenceAdmission? OwnerReferences { get; init; }

    public static WriteOptions Internal(string manager) => new() { FieldManager = manager, FieldValidation = "Ignore" };

    public static WriteOptions From(HttpContext context)
    {
        var query = context.Request.Query;
        var manager = query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            var agent = context.Request.Headers.UserAgent.ToString();
            manager = agent.Length == 0 ? "unknown" : agent.Split('/')[0];
        }

        var validation = query["fieldValidation"].ToString();
        return new WriteOptions
        {
            DryRun = query["dryRun"].ToString() == "All",
            FieldManager = manager,
            FieldValidation = validation.Length == 0 ? "Warn" : validation,
            OwnerReferences = context.Features.Get<Authorization.OwnerReferenceAdmission>(),
        };
    }
}

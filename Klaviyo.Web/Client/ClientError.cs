using Klaviyo.Web.Client.Models;

namespace Klaviyo.Web.Client;

/// <summary>An error the dashboard shows until it is dismissed, the section succeeds again, or the server reports it resolved.</summary>
/// <param name="Section">The dashboard section whose request failed, or "server" for errors pushed by the server.</param>
public sealed record ClientError(string Code, string Message, string? Detail, string Section, SyncEntity? Entity, DateTime FirstSeen, DateTime LastSeen, int Occurrences)
{
    /// <summary>Errors with the same key are one alert (deduplicated).</summary>
    public string Key => KeyOf(Code, Entity, Section);

    public static string KeyOf(string code, SyncEntity? entity, string section) => $"{code}|{entity?.ToString() ?? section}";

    /// <summary>Errors that mean nothing will work until someone acts (a rejected key, an unreachable server).</summary>
    public bool IsCritical => Code is "KLAVIYO_AUTH" or GraphQLClientException.Unreachable or "DATABASE_UNAVAILABLE";
}

using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Security;

/// <summary>
/// The account behind a principal as Identity's cookie names it: the user id (<see cref="ClaimTypes.NameIdentifier"/>)
/// and the security stamp it was issued with. Principals this app builds itself (API keys, anonymous,
/// the dashboard service) carry neither.
/// </summary>
public sealed class CredentialStamp(IOptions<IdentityOptions> identity)
{
    private string StampType => identity.Value.ClaimsIdentity.SecurityStampClaimType;
    private string UserIdType => identity.Value.ClaimsIdentity.UserIdClaimType;

    public (string? UserId, string? Stamp) Of(ClaimsPrincipal user) =>
        user.FindFirstValue(StampType) is { } stamp && user.FindFirstValue(UserIdType) is { } id ? (id, stamp) : (null, null);

    public IEnumerable<Claim> Claims(string userId, string stamp) => [new(UserIdType, userId), new(StampType, stamp)];
}

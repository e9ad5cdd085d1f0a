using Klaviyo.Core.Alerts.Delivery;
using Klaviyo.Core.Data;

namespace Klaviyo.Core.Digests;

/// <summary>
/// Makes a digest's message (KPIs, chart, top campaigns and flows, CSV). The API layer implements it by
/// running the digest's query, so a digest shows what the dashboard would for the same range.
/// </summary>
public interface IDigestRenderer
{
    /// <summary>The digest for the occurrence due at <paramref name="dueUtc"/>, as message <paramref name="id"/>; <see cref="DigestNotReadyException"/> before the first sync.</summary>
    Task<OutgoingMessage> RenderAsync(Digest digest, DateTime dueUtc, Guid id, CancellationToken cancellationToken);
}

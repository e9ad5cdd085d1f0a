using System.Collections.Immutable;
using Microsoft.Extensions.Options;

namespace Klaviyo.Sandbox;

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SandboxAnomalyKind>))]
public enum SandboxAnomalyKind
{
    /// <summary>A share of Placed Order and Started Checkout events does not happen (the shoppers only open the email).</summary>
    RevenueDrop,
    /// <summary>A flow sends nothing: its messages' events go to another live flow.</summary>
    FlowStops,
    /// <summary>Campaigns sent in the window bounce at the given rate.</summary>
    BounceSpike,
}

/// <summary>One anomaly: what, over which instants, how strong; <see cref="PlayedAt"/> guards what was already served.</summary>
public sealed record SandboxAnomaly(SandboxAnomalyKind Kind, DateTime Start, DateTime End, double Percent, string? FlowId, DateTime PlayedAt);

/// <summary>
/// Anomalies the sandbox plays, for tests, demos and the alert benchmark: told through
/// POST /sandbox/klaviyo/_control/anomalies ("revenue drop 60 % for 6 h", "a flow stops", "bounce
/// spike"), deterministic (each event's fate is a hash of its index), and never rewriting what
/// was already served: only events arriving after the anomaly was played change. With
/// <see cref="SandboxOptions.DailyAnomaly"/> the living account also plays one mild anomaly a day
/// — a campaign bouncing at 4 %, so the built-in bounce monitor has something to find: the
/// history's campaign sent three or more days before the account came alive, then the first
/// campaign of each following day.
/// </summary>
public sealed class SandboxAnomalies(IOptions<SandboxOptions> options, TimeProvider time)
{
    public const double DailyBouncePercent = 4;
    private ImmutableList<SandboxAnomaly> _played = [];

    public IReadOnlyList<SandboxAnomaly> Played => _played;

    public SandboxAnomaly Play(SandboxAnomalyKind kind, double percent, TimeSpan duration, string? flowId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var anomaly = new SandboxAnomaly(kind, now, now + duration, percent, flowId, now);
        ImmutableInterlocked.Update(ref _played, list => list.Add(anomaly));
        return anomaly;
    }

    public void Clear() => Interlocked.Exchange(ref _played, []);

    /// <summary>Whether an order or checkout event with this hash is one the revenue drop takes away.</summary>
    internal bool DropsOrder(ulong hash, DateTime datetime, DateTime arrived)
    {
        foreach (var a in _played)
            if (a.Kind == SandboxAnomalyKind.RevenueDrop && Applies(a, datetime, arrived) && Ids.Unit(hash) * 100 < a.Percent)
                return true;
        return false;
    }

    /// <summary>Whether this flow sends nothing at this instant.</summary>
    internal bool Stops(string flowId, DateTime datetime, DateTime arrived)
    {
        foreach (var a in _played)
            if (a.Kind == SandboxAnomalyKind.FlowStops && a.FlowId == flowId && Applies(a, datetime, arrived))
                return true;
        return false;
    }

    /// <summary>The bounce rate (%) of a campaign: a played spike over its send time, the daily one, else none.</summary>
    public double BouncePercent(SandboxCampaign campaign, SandboxAccount account)
    {
        foreach (var a in _played)
            if (a.Kind == SandboxAnomalyKind.BounceSpike && campaign.SendTime >= a.Start && campaign.SendTime < a.End)
                return a.Percent;
        return options.Value.DailyAnomaly && account.IsDailyBounceCampaign(campaign) ? DailyBouncePercent : 0;
    }

    private static bool Applies(SandboxAnomaly a, DateTime datetime, DateTime arrived) => datetime >= a.Start && datetime < a.End && arrived >= a.PlayedAt;
}

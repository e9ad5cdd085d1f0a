using Microsoft.Extensions.Options;

namespace Klaviyo.Sandbox;

/// <summary>
/// A Klaviyo account computed, not stored: every profile and event is a pure function of the
/// seed and its index, so memory stays flat at any size and the same seed gives the same account.
/// Events before the account's start (<see cref="SandboxTimeline"/>, kept across restarts) are
/// spread over the history; after it, one arrives every
/// <see cref="SandboxOptions.LiveEventInterval"/>, and a campaign goes out every
/// <see cref="SandboxOptions.LiveCampaignInterval"/>: the account keeps living.
/// </summary>
public sealed class SandboxAccount
{
    public static readonly TimeSpan MaxLateness = TimeSpan.FromHours(3);
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromHours(24);
    private static readonly TimeSpan ProfileHistory = TimeSpan.FromDays(730);
    private const int EventKind = 1, ProfileKind = 2, CampaignKind = 3, MessageKind = 4, FlowKind = 5, MetricKind = 6, GroupKind = 7, FormKind = 8;

    private readonly SandboxOptions _options;
    private readonly int _seed;
    private readonly long _historyEvents;
    private readonly TimeSpan _historyEventGap;
    private readonly long _initialProfiles;
    private readonly long _historyProfiles;
    private readonly TimeSpan _historyProfileGap;
    private readonly List<SandboxCampaign> _historyCampaigns;
    private readonly List<SandboxFlow> _liveFlows;

    private readonly SandboxAnomalies? _anomalies;
    private readonly int _decimals;

    /// <summary>ISO 4217 currencies without minor units that a store may price in.</summary>
    private static readonly HashSet<string> ZeroDecimalCurrencies = ["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "RWF"];

    public SandboxAccount(IOptions<SandboxOptions> options, SandboxTimeline timeline, SandboxAnomalies? anomalies = null)
    {
        _anomalies = anomalies;
        _options = options.Value;
        _seed = _options.Seed;
        _decimals = ZeroDecimalCurrencies.Contains(_options.Currency) ? 0 : 2;
        LiveFrom = timeline.LiveFrom;
        Start = LiveFrom.Date.AddDays(-_options.HistoryDays);
        _historyEvents = (long)_options.HistoryDays * _options.EventsPerDay;
        _historyEventGap = (LiveFrom - Start) / Math.Max(1, _historyEvents);
        _initialProfiles = _options.Profiles * 5L / 6;
        _historyProfiles = Math.Max(1, _options.Profiles - _initialProfiles);
        _historyProfileGap = (LiveFrom - Start) / _historyProfiles;

        Metrics =
        [
            new(Ids.Short(_seed, MetricKind, 0), "Received Email", "Klaviyo", "Internal"),
            new(Ids.Short(_seed, MetricKind, 1), "Opened Email", "Klaviyo", "Internal"),
            new(Ids.Short(_seed, MetricKind, 2), "Clicked Email", "Klaviyo", "Internal"),
            new(Ids.Short(_seed, MetricKind, 3), "Placed Order", "Shopify", "eCommerce"),
            new(Ids.Short(_seed, MetricKind, 4), "Viewed Form", "Klaviyo", "Internal"),
            new(Ids.Short(_seed, MetricKind, 5), "Submitted Form", "Klaviyo", "Internal"),
            new(Ids.Short(_seed, MetricKind, 6), "Received SMS", "Klaviyo", "Internal"),
            new(Ids.Short(_seed, MetricKind, 7), "Clicked SMS", "Klaviyo", "Internal"),
            // A second metric with a value, so a conversion metric can be chosen.
            new(Ids.Short(_seed, MetricKind, 8), "Started Checkout", "Shopify", "eCommerce"),
        ];
        Flows = Enumerable.Range(0, _options.Flows).Select(i => new SandboxFlow(
            Ids.Short(_seed, FlowKind, i), FlowNames[i % FlowNames.Length] + (i >= FlowNames.Length ? $" {i / FlowNames.Length + 1}" : ""),
            i % 6 == 5 ? "draft" : "live", i % 3 == 0 ? "Added to List" : "Metric",
            Start.AddDays(-200 + i), Start.AddDays(-10 + i % 7))).ToList();
        _liveFlows = Flows.Where(f => f.Status == "live").ToList();
        Lists = Enumerable.Range(0, 4).Select(i => new SandboxGroup(
            Ids.Short(_seed, GroupKind, i), ListNames[i], 0.9 / (i + 1), Start.AddDays(-400 + i), Start.AddDays(i), true, false, i == 0 ? "double_opt_in" : "single_opt_in")).ToList();
        Segments = Enumerable.Range(0, 12).Select(i => new SandboxGroup(
            Ids.Short(_seed, GroupKind, 100 + i), SegmentNames[i % SegmentNames.Length] + (i >= SegmentNames.Length ? " (copy)" : ""), 0.05 + 0.6 * Ids.Unit(Ids.Hash(_seed, GroupKind, 100 + i)),
            Start.AddDays(-300 + i), Start.AddDays(i % 5), i % 7 != 6, i % 4 == 0, "")).ToList();
        Forms = Enumerable.Range(0, 5).Select(i => new SandboxForm(
            Ids.Short(_seed, FormKind, i), FormNames[i], i == 4 ? "draft" : "live", Start.AddDays(-120 + i), Start.AddDays(i))).ToList();

        var span = LiveFrom - Start;
        _historyCampaigns = Enumerable.Range(0, _options.Campaigns)
            .Select(k => MakeCampaign(k, Start + span * (k + 1) / (_options.Campaigns + 1)))
            .ToList();
    }

    /// <summary>First instant of the generated history.</summary>
    public DateTime Start { get; }
    /// <summary>Start-up: from here on events and campaigns arrive live.</summary>
    public DateTime LiveFrom { get; }
    public IReadOnlyList<SandboxMetric> Metrics { get; }
    public IReadOnlyList<SandboxFlow> Flows { get; }
    public IReadOnlyList<SandboxGroup> Lists { get; }
    public IReadOnlyList<SandboxGroup> Segments { get; }
    public IReadOnlyList<SandboxForm> Forms { get; }

    private SandboxMetric Metric(string name) => Metrics.First(m => m.Name == name);

    // ---- campaigns -------------------------------------------------------------------------

    /// <summary>Campaigns that exist at <paramref name="now"/>: the history's, and live ones from 5 minutes before they send.</summary>
    public IReadOnlyList<SandboxCampaign> CampaignsAt(DateTime now)
    {
        var live = new List<SandboxCampaign>(_historyCampaigns);
        for (var k = 0; ; k++)
        {
            var send = LiveFrom + _options.LiveCampaignInterval * (k + 1);
            if (send - TimeSpan.FromMinutes(5) > now)
                break;
            live.Add(MakeCampaign(_options.Campaigns + k, send));
        }
        return live;
    }

    private SandboxCampaign MakeCampaign(int k, DateTime send)
    {
        var h = Ids.Hash(_seed, CampaignKind, k);
        var name = CampaignNames[(int)(h % (ulong)CampaignNames.Length)];
        return new SandboxCampaign(k, Ids.Ulid(_seed, CampaignKind, k), $"{name} #{k + 1}", Ids.Unit(h) < 0.85 ? "email" : "sms",
            Ids.Ulid(_seed, MessageKind, k), $"{name}: {Subjects[(int)((h >> 20) % (ulong)Subjects.Length)]}", TruncateToSecond(send - TimeSpan.FromDays(3)), TruncateToSecond(send));
    }

    /// <summary>
    /// The day's mild anomaly (<see cref="SandboxOptions.DailyAnomaly"/>): the history's campaign sent most recently at least three
    /// days before the account came alive (it has its recipients, and is in the last 7 days), then the first campaign of each later day.
    /// </summary>
    public bool IsDailyBounceCampaign(SandboxCampaign campaign)
    {
        if (campaign.SendTime < LiveFrom)
            return _historyCampaigns.LastOrDefault(c => c.SendTime <= LiveFrom - TimeSpan.FromDays(3))?.Id == campaign.Id;
        var sinceLive = campaign.SendTime - LiveFrom;
        return sinceLive >= TimeSpan.FromDays(1) && sinceLive.Ticks % TimeSpan.TicksPerDay < _options.LiveCampaignInterval.Ticks;
    }

    /// <summary>The campaign that most recently went out before <paramref name="at"/> (within 5 days), to attribute an event to.</summary>
    private SandboxCampaign? CampaignBefore(DateTime at, ulong hash)
    {
        var sent = at < LiveFrom ? _historyCampaigns : CampaignsAt(at);
        SandboxCampaign? best = null;
        var candidates = 0;
        for (var i = sent.Count - 1; i >= 0; i--)
        {
            var c = sent[i];
            if (c.SendTime > at)
                continue;
            if (at - c.SendTime > TimeSpan.FromDays(5))
                break;
            candidates++;
            if (best is null || hash % (ulong)candidates == 0)
                best = c;
        }
        return best;
    }

    // ---- profiles --------------------------------------------------------------------------

    public long ProfileCountAt(DateTime now)
    {
        if (now < Start)
            return now < Start - ProfileHistory ? 0 : Math.Min(_initialProfiles, (long)((now - (Start - ProfileHistory)) / (ProfileHistory / _initialProfiles)) + 1);
        if (now < LiveFrom)
            return _initialProfiles + Math.Min(_historyProfiles, (long)((now - Start) / _historyProfileGap) + 1);
        return _initialProfiles + _historyProfiles + (long)((now - LiveFrom) / _options.LiveProfileInterval);
    }

    public SandboxProfile Profile(long i)
    {
        var created = i < _initialProfiles
            ? Start - ProfileHistory + ProfileHistory / _initialProfiles * i
            : i < _initialProfiles + _historyProfiles
                ? Start + _historyProfileGap * (i - _initialProfiles)
                : LiveFrom + _options.LiveProfileInterval * (i - _initialProfiles - _historyProfiles + 1);
        created = TruncateToSecond(created);
        var u = Ids.Unit(Ids.Hash(_seed, ProfileKind, i));
        var consent = u < 0.7 ? "SUBSCRIBED" : u < 0.9 ? "UNSUBSCRIBED" : "NEVER_SUBSCRIBED";
        return new SandboxProfile(i, Ids.Ulid(_seed, ProfileKind, i), $"{FirstNames[i % FirstNames.Length].ToLowerInvariant()}.{i}@sandbox.example", created, created, consent);
    }

    // ---- events ----------------------------------------------------------------------------

    /// <summary>Events Klaviyo has received by <paramref name="now"/>: indices 0 to count − 1.</summary>
    public long EventCountAt(DateTime now) =>
        now < LiveFrom
            ? Math.Min(_historyEvents, Math.Max(0, (long)((now - Start) / _historyEventGap) + 1))
            : _historyEvents + (long)((now - LiveFrom) / _options.LiveEventInterval);

    /// <summary>The smallest index whose arrival is at or after <paramref name="at"/>.</summary>
    public long FirstEventArrivingAtOrAfter(DateTime at)
    {
        if (at <= Start)
            return 0;
        if (at <= LiveFrom)
            return Math.Min(_historyEvents, (long)Math.Ceiling((at - Start) / _historyEventGap));
        return _historyEvents + Math.Max(0, (long)Math.Ceiling((at - LiveFrom) / _options.LiveEventInterval) - 1);
    }

    /// <summary>
    /// The event indices that can have a datetime in [from, to) among those received by now: an event
    /// happens at most <see cref="MaxLateness"/> before it arrives and at most <see cref="MaxFutureSkew"/> after.
    /// </summary>
    public (long From, long To) IndicesThatCanHappenBetween(DateTime? from, DateTime? to, DateTime now)
    {
        var first = from is DateTime f ? FirstEventArrivingAtOrAfter(f - MaxFutureSkew) : 0;
        var end = EventCountAt(now);
        if (to is DateTime t)
            end = Math.Min(end, FirstEventArrivingAtOrAfter(t + MaxLateness + TimeSpan.FromSeconds(1)));
        return (first, Math.Max(first, end));
    }

    /// <summary>Events received by now whose datetime falls in [from, to).</summary>
    public IEnumerable<SandboxEvent> EventsHappenedBetween(DateTime from, DateTime to, DateTime now)
    {
        var (first, end) = IndicesThatCanHappenBetween(from, to, now);
        for (var i = first; i < end; i++)
        {
            var e = Event(i);
            if (e.Datetime >= from && e.Datetime < to)
                yield return e;
        }
    }

    public DateTime ArrivalOf(long i) =>
        i < _historyEvents ? Start + _historyEventGap * i : LiveFrom + _options.LiveEventInterval * (i - _historyEvents + 1);

    public SandboxEvent Event(long i)
    {
        var arrived = TruncateToSecond(ArrivalOf(i));
        var timing = Ids.Unit(Ids.Hash(_seed, EventKind, i));
        var skew = Ids.Unit(Ids.Hash(_seed, EventKind + 10, i));
        var datetime = timing < _options.FutureEventShare
            ? arrived + TimeSpan.FromMinutes(60 + 1380 * skew)                                   // clock skew at the source: in the future
            : timing < _options.FutureEventShare + _options.LateEventShare
                ? arrived - TimeSpan.FromMinutes(1 + 179 * skew)                                 // arrives late
                : arrived;
        datetime = TruncateToSecond(datetime);

        var kind = Ids.Unit(Ids.Hash(_seed, EventKind + 1, i));
        var pick = Ids.Hash(_seed, EventKind + 2, i);
        var metric = kind switch
        {
            < 0.45 => Metric("Received Email"),
            < 0.70 => Metric("Opened Email"),
            < 0.78 => Metric("Clicked Email"),
            < 0.87 => Metric("Placed Order"),
            < 0.90 => Metric("Started Checkout"),
            < 0.96 => Metric("Viewed Form"),
            _ => Metric("Submitted Form"),
        };
        // A revenue drop being played: the shopper only opened the email (the event index, and so every other event, stays put).
        if (metric.Name is "Placed Order" or "Started Checkout" && _anomalies?.DropsOrder(Ids.Hash(_seed, EventKind + 5, i), datetime, arrived) == true)
            metric = Metric("Opened Email");
        var profiles = Math.Max(1, ProfileCountAt(datetime < arrived ? datetime : arrived));
        var profile = Profile((long)(pick % (ulong)profiles));

        string? campaign = null, flow = null, message = null, form = null, channel = null;
        var attribution = Ids.Unit(Ids.Hash(_seed, EventKind + 3, i));
        var valued = metric.Name is "Placed Order" or "Started Checkout";
        if (metric.Name is "Viewed Form" or "Submitted Form")
            form = Forms[(int)((pick >> 32) % (ulong)(Forms.Count - 1))].Id; // the draft form gets no traffic
        else if (attribution < 0.6 && CampaignBefore(datetime, pick >> 16) is { } c)
            (campaign, message, channel) = (c.Id, c.MessageId, c.Channel);
        else if (attribution < 0.9 || !valued)
        {
            var index = (int)((pick >> 24) % (ulong)_liveFlows.Count);
            // A flow that stopped: its traffic goes to the next live flow.
            if (_anomalies?.Stops(_liveFlows[index].Id, datetime, arrived) == true)
                index = (index + 1) % _liveFlows.Count;
            flow = _liveFlows[index].Id;
            // Every other live flow also texts: its second message is an SMS.
            (message, channel) = index % 2 == 1 && (pick >> 40) % 3 == 0 ? (flow + "-M2", "sms") : (flow + "-M1", "email");
        }
        // A message's engagement is counted in its channel's metrics (SMS has no opens: an opened text is a received one).
        if (channel == "sms")
            metric = metric.Name switch
            {
                "Received Email" or "Opened Email" => Metric("Received SMS"),
                "Clicked Email" => Metric("Clicked SMS"),
                _ => metric,
            };

        var value = valued ? Math.Round((20 + 280 * Ids.Unit(Ids.Hash(_seed, EventKind + 4, i))) * _options.ValueScale, _decimals) : 0;
        return new SandboxEvent(i, "E" + Ids.Ulid(_seed, EventKind, i)[1..], metric.Id, profile.Id, datetime, arrived, value, campaign, flow, message, form, channel);
    }

    private static DateTime TruncateToSecond(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private static readonly string[] CampaignNames = ["Spring Sale", "New Arrivals", "Weekend Flash Sale", "VIP Early Access", "Back in Stock", "Holiday Gift Guide", "Free Shipping Week", "Customer Favourites", "Last Chance", "Member Rewards"];
    private static readonly string[] Subjects = ["20% off ends tonight", "you'll love these", "hand-picked for you", "back by popular demand", "don't miss out"];
    private static readonly string[] FlowNames = ["Welcome Series", "Abandoned Cart", "Browse Abandonment", "Post-Purchase Thank You", "Winback", "Birthday", "Price Drop", "Sunset Unengaged"];
    private static readonly string[] ListNames = ["Newsletter", "Sale Alerts", "VIP Customers", "Preview List"];
    private static readonly string[] SegmentNames = ["Engaged 30 Days", "Engaged 90 Days", "Repeat Buyers", "High Value", "Lapsed Customers", "New Subscribers", "Never Purchased", "Cart Abandoners", "Mobile Openers", "Discount Seekers"];
    private static readonly string[] FormNames = ["Homepage Popup", "Footer Signup", "Exit Intent", "Spin to Win", "Holiday Teaser"];
    private static readonly string[] FirstNames = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kemi", "Liam", "Maya", "Noor", "Omar", "Priya"];
}

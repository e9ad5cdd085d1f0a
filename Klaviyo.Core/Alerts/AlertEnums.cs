namespace Klaviyo.Core.Alerts;

/// <summary>How a rule decides: against a number, against an earlier window, against its own history, or a check on the product itself.</summary>
public enum AlertKind
{
    Threshold,
    Change,
    Anomaly,
    Decay,
    Diagnostic,
}

/// <summary>What a rule measures.</summary>
public enum AlertSubject
{
    /// <summary>A KPI card of the overview, as the dashboard shows it.</summary>
    Kpi,
    /// <summary>A metric's count or value (by id, or by name for the built-in monitors: ids differ per account).</summary>
    Metric,
    /// <summary>Each live flow's Received Email and Received SMS volume (one alert per flow).</summary>
    FlowSendVolume,
    /// <summary>Each campaign sent in the window: bounced ÷ delivered, in % (one alert per campaign).</summary>
    CampaignBounceRate,
    /// <summary>Each campaign sent in the window: spam complaints ÷ delivered, in %.</summary>
    CampaignSpamRate,
}

/// <summary>The overview's KPIs; rates are in % (as the dashboard shows them), change in points is in percentage points.</summary>
public enum AlertKpi
{
    Revenue,
    Orders,
    AverageOrderValue,
    OpenRate,
    ClickRate,
    ConversionRate,
    RevenuePerRecipient,
    ActiveSubscribers,
    FormSubmissions,
}

public enum AlertComparison
{
    Above,
    Below,
}

public enum AlertDirection
{
    Drop,
    Spike,
    Both,
}

public enum ChangeUnit
{
    Percent,
    Points,
}

public enum AlertGranularity
{
    Hour,
    Day,
}

/// <summary>The product watching itself.</summary>
public enum DiagnosticCheck
{
    /// <summary>An entity's sync has failed for longer than the limit (minutes).</summary>
    SyncFailing,
    /// <summary>An entity's data is older than the limit (minutes) although its sync is scheduled.</summary>
    DataStale,
    /// <summary>Klaviyo refuses the private key (401/403).</summary>
    KeyRefused,
    /// <summary>Klaviyo rate-limited us at least the limit's number of times in a row.</summary>
    RateLimited,
    /// <summary>The reporting API's daily budget is being spent faster than the day allows (burn rate over the limit).</summary>
    ReportBudgetBurn,
    /// <summary>Klaviyo's webhook deliveries to us were refused (bad signature, stale, replay…) since the last evaluation.</summary>
    WebhooksRefused,
    /// <summary>A contact point was disabled or keeps failing: people are not being told.</summary>
    NotificationsFailing,
    /// <summary>
    /// The database does not answer (and, with several instances, no instance can lead). Watched by every instance
    /// (<see cref="OutageWatch"/>) and told straight to the contact points, since the outbox is in the database; the
    /// episode is written to the log when the database is back. The evaluator sees it normal: it runs on the database.
    /// </summary>
    DatabaseUnreachable,
}

/// <summary>An alert instance's state, as Grafana names them.</summary>
public enum AlertState
{
    Normal,
    Pending,
    Firing,
    Resolved,
    NoData,
    Error,
}

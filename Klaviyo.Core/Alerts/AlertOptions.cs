namespace Klaviyo.Core.Alerts;

/// <summary>Alerts and digests (section "Alerts"): evaluation pace, notification policy, SMTP.</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>Off: no rule is evaluated and nothing is sent (the rules and the log stay readable).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>How often the evaluator looks for rules that are due (each rule has its own interval).</summary>
    public TimeSpan Tick { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>A new alert waits this long for others to go with it in one message.</summary>
    public TimeSpan GroupWait { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>After a message to a contact point, the next one waits at least this long (what arrived meanwhile goes together).</summary>
    public TimeSpan GroupInterval { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>An alert still firing is sent again after this long.</summary>
    public TimeSpan RepeatInterval { get; set; } = TimeSpan.FromHours(4);
    /// <summary>A notification not delivered within this long is given up (and NotificationsFailing fires).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(48);
    /// <summary>
    /// A batch being sent is claimed this long: an instance killed mid-delivery leaves its claim, and the batch goes
    /// again (same id, the receiver drops the duplicate) once it has expired. Longer than the slowest send.
    /// </summary>
    public TimeSpan ClaimFor { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>How often every instance checks that the database answers (<see cref="OutageWatch"/>).</summary>
    public TimeSpan OutageCheck { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>The database unreachable this long: the contact points are told directly.</summary>
    public TimeSpan OutageAfter { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>The dashboard's address as people reach it, for the links in emails, Slack and webhooks ("https://dash.example.com").</summary>
    public string? PublicUrl { get; set; }
    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>The mail server alerts and digests go through (MailKit). The password comes from configuration and is never shown.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>AUTO (STARTTLS when offered), NONE, STARTTLS or TLS (implicit, port 465).</summary>
    public string Security { get; set; } = "AUTO";
    public string? User { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "Klaviyo Analytics <alerts@localhost>";
}

using System.Net;
using System.Text;
using System.Text.Json;
using Klaviyo.Core.Data;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Alerts.Delivery;

/// <summary>Renders a batch of alert changes for each kind of contact point.</summary>
public sealed class AlertMessages(IOptions<AlertOptions> options, IServiceProvider services)
{
    public sealed record Item(AlertLogEntry Entry, bool Repeat);

    /// <summary>
    /// A dashboard link for people: under <see cref="AlertOptions.PublicUrl"/>; without it, under the address this process
    /// listens on when that is loopback (the laptop case: the reader is on this machine); else relative.
    /// </summary>
    public string Url(string? link) => (options.Value.PublicUrl?.TrimEnd('/') ?? LoopbackBase() ?? "") + (link ?? "/alerts");

    private string? LoopbackBase()
    {
        var address = services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.IsLoopback ? address.TrimEnd('/') : null;
    }

    public OutgoingMessage Render(Guid id, IReadOnlyList<Item> items)
    {
        var subject = Subject(items);
        var manage = Url("/alerts");
        var text = new StringBuilder();
        var html = new StringBuilder("<html><body style=\"font-family:Arial,Helvetica,sans-serif;color:#1f2937\">");
        html.Append($"<h2 style=\"margin:0 0 12px\">{WebUtility.HtmlEncode(subject)}</h2><table cellpadding=\"6\" style=\"border-collapse:collapse\">");
        foreach (var (entry, repeat) in items)
        {
            var state = entry.To.ToUpperInvariant() + (repeat ? " (still)" : "");
            var what = entry.Subject.Length > 0 ? $"{entry.RuleName} — {entry.Subject}" : entry.RuleName;
            text.AppendLine($"{state}: {what}");
            text.AppendLine($"  {entry.Message}");
            text.AppendLine($"  since {entry.At:u} · {Url(entry.Link)}");
            text.AppendLine();
            var color = entry.To == nameof(AlertState.Firing) ? "#b91c1c" : "#15803d";
            html.Append($"<tr><td style=\"color:{color};font-weight:bold;vertical-align:top\">{WebUtility.HtmlEncode(state)}</td>")
                .Append($"<td><a href=\"{WebUtility.HtmlEncode(Url(entry.Link))}\">{WebUtility.HtmlEncode(what)}</a><br>{WebUtility.HtmlEncode(entry.Message ?? "")}")
                .Append($"<br><small>since {entry.At:u}</small></td></tr>");
        }
        text.AppendLine($"Manage alerts, silences and contact points: {manage}");
        html.Append($"</table><p><small><a href=\"{WebUtility.HtmlEncode(manage)}\">Manage alerts, silences and contact points</a></small></p></body></html>");
        return new OutgoingMessage(id, subject, text.ToString(), html.ToString(), Json(id, items), Slack(subject, items)) { ManageUrl = manage };
    }

    /// <summary>"[FIRING:2] Revenue drop, Sync failing (1 resolved)": how many fire, which rules, how many resolved.</summary>
    private static string Subject(IReadOnlyList<Item> items)
    {
        var firing = items.Count(i => i.Entry.To == nameof(AlertState.Firing));
        var resolved = items.Count - firing;
        var head = firing > 0 ? $"[FIRING:{firing}]" : "[RESOLVED]";
        var rules = items.Select(i => i.Entry.RuleName).Distinct().ToList();
        var subject = $"{head} {string.Join(", ", rules.Take(3))}{(rules.Count > 3 ? ", …" : "")}";
        return firing > 0 && resolved > 0 ? subject + $" ({resolved} resolved)" : subject;
    }

    private string Json(Guid id, IReadOnlyList<Item> items) => JsonSerializer.Serialize(new
    {
        type = "alerts.notification",
        id,
        alerts = items.Select(i => new
        {
            id = i.Entry.Id,
            ruleId = i.Entry.RuleId,
            rule = i.Entry.RuleName,
            ruleVersion = i.Entry.RuleVersion,
            key = i.Entry.Key,
            subject = i.Entry.Subject,
            state = i.Entry.To.ToUpperInvariant(),
            previousState = i.Entry.From.ToUpperInvariant(),
            repeat = i.Repeat,
            at = i.Entry.At,
            value = i.Entry.Value,
            expected = i.Entry.Expected,
            message = i.Entry.Message,
            url = Url(i.Entry.Link),
            labels = AlertLabels.Parse(i.Entry.Labels),
        }),
    }, JsonSerializerOptions.Web);

    private object Slack(string subject, IReadOnlyList<Item> items)
    {
        var blocks = new List<object> { new { type = "header", text = new { type = "plain_text", text = Truncate(subject, 150) } } };
        blocks.AddRange(items.Take(45).Select(i => (object)new
        {
            type = "section",
            text = new { type = "mrkdwn", text = Truncate($"*{i.Entry.To.ToUpperInvariant()}* <{Url(i.Entry.Link)}|{Escape(i.Entry.RuleName)}>{(i.Entry.Subject.Length > 0 ? " — " + Escape(i.Entry.Subject) : "")}\n{Escape(i.Entry.Message ?? "")}", 3000) },
        }));
        return new { text = Truncate(subject, 3000), blocks };
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>Slack's mrkdwn control characters.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}

using System.Net.Sockets;
using Klaviyo.Core.Data;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Klaviyo.Core.Alerts.Delivery;

/// <summary>
/// Email over SMTP (MailKit): HTML with a plain-text alternative, inline chart, attachments, a
/// Message-ID that is the notification's idempotency key and a List-Unsubscribe pointing at the
/// page that manages alerts. A server that is down or answers 4xx is retried; 5xx too (the outbox
/// gives up after its limit and the NotificationsFailing diagnostic says so).
/// </summary>
public sealed class EmailSender(IOptions<AlertOptions> options) : IContactSender
{
    public string Kind => ContactKinds.Email;

    public static bool Configured(AlertOptions options) => !string.IsNullOrWhiteSpace(options.Smtp.Host);

    public async Task<SendResult> SendAsync(ContactPoint contact, string? secret, IReadOnlyList<string> recipients, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        if (!Configured(options.Value))
            return new SendResult.Retry("No SMTP server is configured (Alerts:Smtp:Host).", TimeSpan.FromMinutes(5));
        var mime = Build(smtp, recipients, message);
        using var client = new SmtpClient();
        client.Timeout = 30_000;
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.Port, SecurityOf(smtp.Security), cancellationToken);
            if (!string.IsNullOrEmpty(smtp.User))
                await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", cancellationToken);
            await client.SendAsync(mime, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return new SendResult.Sent();
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpCommandException or SmtpProtocolException or AuthenticationException or ServiceNotConnectedException or SslHandshakeException or TimeoutException)
        {
            // The message names the server's complaint, never the password.
            return new SendResult.Retry($"SMTP {smtp.Host}:{smtp.Port}: {e.Message}");
        }
    }

    public static MimeMessage Build(SmtpOptions smtp, IReadOnlyList<string> recipients, OutgoingMessage message)
    {
        var mime = new MimeMessage { Subject = message.Subject, MessageId = $"{message.Id:N}@klaviyo-analytics" };
        mime.From.Add(MailboxAddress.Parse(smtp.From));
        foreach (var recipient in recipients)
            mime.To.Add(MailboxAddress.Parse(recipient));
        if (message.ManageUrl is { } manage)
            mime.Headers.Add("List-Unsubscribe", $"<{manage}>");
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        var body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html };
        foreach (var image in message.Inline)
        {
            var resource = body.LinkedResources.Add(image.FileName, image.Content, ContentType.Parse(image.ContentType));
            resource.ContentId = image.ContentId;
        }
        foreach (var attachment in message.Attachments)
            body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
        mime.Body = body.ToMessageBody();
        return mime;
    }

    private static SecureSocketOptions SecurityOf(string security) => security.ToUpperInvariant() switch
    {
        "NONE" => SecureSocketOptions.None,
        "STARTTLS" => SecureSocketOptions.StartTls,
        "TLS" or "SSL" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTlsWhenAvailable,
    };
}

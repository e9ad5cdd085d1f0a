using Klaviyo.Core.Security;
using Klaviyo.Server;
using Klaviyo.Web.Account;
using Klaviyo.Web.Client;
using Klaviyo.Web.Components;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
// `dotnet run` in Production serves the build output, not a published folder: without this the
// framework's and MudBlazor's files (static web assets) are missing and the page is unstyled. A
// published app has no manifest to load, so this changes nothing there.
builder.WebHost.UseStaticWebAssets();
builder.AddKlaviyoApi();
builder.AddDashboardClient();
builder.AddDashboardAccounts();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();

var app = builder.Build();
if (await AdminCommand.TryRunAsync(app, args))
    return Environment.ExitCode;
if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
app.UseKlaviyoSecurity();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapKlaviyoApi();
app.MapOidcSignIn();
app.MapAccountEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
return await app.RunUntilRefusedAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;

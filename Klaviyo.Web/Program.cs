using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.Diagnostics;
using Klaviyo.GraphQL.Exports;
using Klaviyo.GraphQL.GraphQL;
using Klaviyo.GraphQL.Sandbox;
using Klaviyo.GraphQL.Security;
using Klaviyo.GraphQL.Sync;
using Klaviyo.Web.Account;
using Klaviyo.Web.Client;
using Klaviyo.Web.Components;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
builder.AddKlaviyoDatabase();
builder.AddKlaviyoSecurity();
builder.AddKlaviyoGraphQL();
builder.AddKlaviyoSandbox();
builder.AddKlaviyoSync();
builder.AddKlaviyoDiagnostics();
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
app.MapKlaviyoGraphQL();
app.MapKlaviyoSandbox();
app.MapKlaviyoHealth();
app.MapKlaviyoExports();
app.MapOidcSignIn();
app.MapAccountEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
return await app.RunUntilRefusedAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;

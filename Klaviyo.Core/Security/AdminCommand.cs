using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Security;

/// <summary>
/// <c>create-admin EMAIL</c>: creates the first Admin (or makes an existing account Admin) and exits.
/// The password comes from KLAVIYO_ADMIN_PASSWORD or standard input, never from the command line
/// (it would show in the process list and the shell's history).
/// </summary>
public static class AdminCommand
{
    public const string Name = "create-admin";
    public const string PasswordVariable = "KLAVIYO_ADMIN_PASSWORD";

    /// <summary>Runs the command when <paramref name="args"/> name it; false otherwise (start the server).</summary>
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        if (args.Length == 0 || args[0] != Name)
            return false;
        if (args.Length < 2 || !args[1].Contains('@'))
        {
            await Console.Error.WriteLineAsync($"Usage: dotnet run --project Klaviyo.Web -- {Name} EMAIL   (password from {PasswordVariable} or standard input)");
            Environment.ExitCode = 2;
            return true;
        }
        var password = Environment.GetEnvironmentVariable(PasswordVariable) ?? ReadPassword();
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<KlaviyoDbContext>().Database.MigrateAsync();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminCommand));
        try
        {
            var created = await AdminAccounts.EnsureAsync(scope.ServiceProvider, args[1], password, logger, CancellationToken.None);
            Console.WriteLine(created ? $"Created the admin {args[1]}; sign-in is now required." : $"{args[1]} already exists and is now an Admin.");
        }
        catch (Exception e) when (e is InvalidOperationException or Errors.AppError)
        {
            await Console.Error.WriteLineAsync(e.Message);
            Environment.ExitCode = 1;
        }
        return true;
    }

    private static string? ReadPassword()
    {
        if (Console.IsInputRedirected)
            return Console.ReadLine();
        Console.Write("Password (at least 12 characters): ");
        var password = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && password.Length > 0)
                password.Length--;
            else if (!char.IsControl(key.KeyChar))
                password.Append(key.KeyChar);
        }
        Console.WriteLine();
        return password.ToString();
    }
}

namespace Klaviyo.Core.Security;

/// <summary>The configuration is unsafe to serve: the process says why (naming the setting to change) and exits with 1, without a stack trace.</summary>
public sealed class StartRefusedException(string message) : InvalidOperationException(message);

public static class StartRefusal
{
    /// <summary><c>app.Run()</c>, except that a refused start prints its reason and returns exit code 1.</summary>
    public static async Task<int> RunUntilRefusedAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (StartRefusedException e)
        {
            await Console.Error.WriteLineAsync($"Not started: {e.Message}");
            return 1;
        }
    }
}

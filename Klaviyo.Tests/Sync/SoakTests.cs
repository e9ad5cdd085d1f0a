using Klaviyo.Testing.Faults;
using Xunit.Abstractions;

namespace Klaviyo.Tests.Sync;

/// <summary>The soak of <c>./bench soak</c>, shortened: subscribers, mixed requests and Refreshes while the schedule syncs.</summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Twenty_seconds_of_mixed_load_with_subscribers_and_refreshes_has_no_errors_and_keeps_every_subscriber()
    {
        var result = await Soak.RunAsync(SoakOptions.Short, FaultSuiteOptions.Short);
        var text = new StringWriter();
        result.Print(text);
        output.WriteLine(text.ToString());

        Assert.True(result.Requests >= SoakOptions.Short.RequestsPerSecond * SoakOptions.Short.Duration.TotalSeconds * 0.8, $"{result.Requests} requests");
        Assert.Equal(0, result.Errors);
        Assert.Equal(0, result.SocketFailures);
        Assert.True(result.Pushes > 0, "the living account's events were pushed to the subscribers");
    }
}

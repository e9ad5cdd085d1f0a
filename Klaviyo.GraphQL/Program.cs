using Klaviyo.GraphQL.Data;

namespace Klaviyo.GraphQL;

public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddKlaviyoDatabase();
        var app = builder.Build();
        app.Run();
    }
}

using System.Reflection;

namespace Klaviyo.Core.Diagnostics;

/// <summary>The product's version (Directory.Build.props, with the commit the build came from), as diagnostics and health report it.</summary>
public static class AppVersion
{
    public static string Current { get; } =
        typeof(AppVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}

namespace Certus.Configuration;

/// <summary>Marker for the configuration module's strings, in Resources/Strings*.resx.</summary>
public sealed class Strings;

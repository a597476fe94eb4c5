namespace Certus.ServiceLevels;

/// <summary>Marker for the service level module's strings, in Resources/Strings*.resx.</summary>
public sealed class Strings;

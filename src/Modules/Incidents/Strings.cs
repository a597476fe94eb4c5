namespace Certus.Incidents;

/// <summary>Marker for the incident module's strings, in Resources/Strings*.resx.</summary>
public sealed class Strings;

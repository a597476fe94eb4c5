namespace Certus.Compliance;

/// <summary>Marker for the compliance module's strings, in Resources/Strings*.resx.</summary>
public sealed class Strings;

namespace Certus.Problems;

/// <summary>Marker for the problem module's strings, in Resources/Strings*.resx.</summary>
public sealed class Strings;

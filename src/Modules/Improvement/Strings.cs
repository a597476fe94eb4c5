namespace Certus.Improvement;

/// <summary>Marker for the improvement module's strings, in Resources/Strings*.resx.</summary>
public sealed class Strings;

namespace Certus.Releases;

/// <summary>Marker for the release module's strings, in Resources/Strings*.resx.</summary>
public sealed class Strings;

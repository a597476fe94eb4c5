namespace Certus.Identity;

/// <summary>Marker for the identity module's strings, in Resources/Strings*.resx.</summary>
public sealed class Strings;

namespace Certus.Changes;

/// <summary>Marker for the change module's strings, in Resources/Strings*.resx.</summary>
public sealed class Strings;

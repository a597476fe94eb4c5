namespace Certus.Audits;

/// <summary>Marker for the audits module's strings, in Resources/Strings*.resx.</summary>
public sealed class Strings;

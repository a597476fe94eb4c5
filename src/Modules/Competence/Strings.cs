namespace Certus.Competence;

/// <summary>Marker for the competence module's strings, in Resources/Strings*.resx.</summary>
public sealed class Strings;

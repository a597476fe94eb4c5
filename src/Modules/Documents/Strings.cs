namespace Certus.Documents;

/// <summary>Marker for the documents module's strings, in Resources/Strings*.resx.</summary>
public sealed class Strings;

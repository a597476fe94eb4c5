namespace Certus.Web;

/// <summary>Marker for the host's strings (layout, home, audit pages), in Resources/Strings*.resx.</summary>
public sealed class Strings;

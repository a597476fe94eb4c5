namespace Certus.Kernel;

/// <summary>Marker for the kernel's shared strings (validation and error messages), in Resources/Strings*.resx.</summary>
public sealed class Strings;

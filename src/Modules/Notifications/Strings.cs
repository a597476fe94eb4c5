namespace Certus.Notifications;

/// <summary>Marker for the notification module's strings, in Resources/Strings*.resx.</summary>
public sealed class Strings;

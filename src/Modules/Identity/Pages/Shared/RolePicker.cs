namespace Certus.Identity.Pages;

/// <summary>Model of the role check-box group: the form field name and the roles already held.</summary>
public sealed record RolePicker(string Name, IReadOnlyList<string> Selected);

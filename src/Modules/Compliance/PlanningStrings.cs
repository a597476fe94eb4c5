namespace Certus.Compliance;

/// <summary>
/// Marker for the strings of policy, objectives and risks (Resources/PlanningStrings*.resx), kept apart from the
/// conformity view's strings.
/// </summary>
public sealed class PlanningStrings;

namespace Certus.Incidents.Features;

internal static class IncidentAudit
{
    public const string RecordType = "incident";
}

namespace Certus.ServiceLevels.Features;

internal static class CalendarAudit
{
    public const string RecordType = "calendar";
}

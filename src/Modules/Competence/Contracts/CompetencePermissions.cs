namespace Certus.Competence.Contracts;

/// <summary>Permissions of competence, awareness and training (ISO/IEC 20000-1:2018 7.2, 7.3).</summary>
public static class CompetencePermissions
{
    /// <summary>See the competence matrix, job roles, courses, the training plan, certificates, reviews and everyone's training record.</summary>
    public const string Read = "competence.read";

    /// <summary>
    /// Keep the records: competences, job roles and who holds them, assessments, courses, sessions with attendance and exam
    /// results, the training plan, certificates and performance reviews (the HR and administration department's work).
    /// </summary>
    public const string Manage = "competence.manage";

    /// <summary>Read one's own training record and acknowledge one's own performance review: every member of staff.</summary>
    public const string OwnRecord = "competence.own-record";
}

namespace Certus.Competence.Domain;

/// <summary>The wire names of the module's fixed vocabularies, and the rules on competence levels.</summary>
public static class CompetenceNames
{
    /// <summary>Competence levels: 1 aware, 2 practitioner, 3 proficient, 4 expert (0 = none recorded).</summary>
    public const int MinLevel = 1;
    public const int MaxLevel = 4;

    public static readonly IReadOnlyList<string> Categories = ["technical", "process", "management", "soft-skill"];

    public static readonly IReadOnlyList<string> CourseKinds = ["internal", "external"];

    /// <summary>
    /// What an awareness course covers (ISO/IEC 20000-1:2018 7.3): the service management policy, the objectives, the
    /// person's contribution, and what it means not to meet the requirements.
    /// </summary>
    public static readonly IReadOnlyList<string> AwarenessTopics = ["policy", "objectives", "contribution", "consequences"];

    public const string PolicyTopic = "policy";

    public static readonly IReadOnlyList<string> AttendanceStatuses = ["invited", "attended", "absent"];

    /// <summary>
    /// Performance review ratings, as Chinese HR departments grade them: A excellent (优秀), B good (良好), C meets the
    /// essentials (合格), D needs improvement (待改进).
    /// </summary>
    public static readonly IReadOnlyList<string> Ratings = ["A", "B", "C", "D"];

    public static bool IsLevel(int? level) => level is >= MinLevel and <= MaxLevel;

    /// <summary>Where a person's level came from: an assessment by hand, a passed exam, or an external training.</summary>
    public static readonly IReadOnlyList<string> LevelSources = ["assessment", "exam"];
}

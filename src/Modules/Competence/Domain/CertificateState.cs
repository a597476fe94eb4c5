namespace Certus.Competence.Domain;

/// <summary>How a certificate stands on a given day.</summary>
public enum CertificateState
{
    /// <summary>No expiry, or expiring later than the first warning threshold.</summary>
    Valid,

    /// <summary>Expires within the first warning threshold (60 days by default).</summary>
    ExpiringSoon,

    /// <summary>Past its expiry date and neither renewed nor retired.</summary>
    Expired,

    /// <summary>A later certificate of the same name renews it.</summary>
    Renewed,

    /// <summary>Retired by hand, with a reason: no longer needed for the person's work.</summary>
    Retired,
}

/// <summary>The rule that decides a certificate's state.</summary>
public static class CertificateRules
{
    /// <param name="expiresOn">yyyy-MM-dd or null (never expires).</param>
    /// <param name="today">yyyy-MM-dd in China Standard Time.</param>
    /// <param name="warnDays">The first (largest) warning threshold.</param>
    /// <param name="renewed">A later certificate of the same person and name exists.</param>
    /// <param name="retired">Retired by hand.</param>
    public static CertificateState StateOf(string? expiresOn, string today, int warnDays, bool renewed, bool retired)
    {
        if (retired)
        {
            return CertificateState.Retired;
        }
        if (renewed)
        {
            return CertificateState.Renewed;
        }
        if (expiresOn is null)
        {
            return CertificateState.Valid;
        }
        var days = DaysLeft(expiresOn, today);
        return days < 0 ? CertificateState.Expired : days <= warnDays ? CertificateState.ExpiringSoon : CertificateState.Valid;
    }

    /// <summary>Days from <paramref name="today"/> to <paramref name="expiresOn"/>: 0 on the last valid day, negative once expired.</summary>
    public static int DaysLeft(string expiresOn, string today) =>
        DateOnly.ParseExact(expiresOn, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).DayNumber
        - DateOnly.ParseExact(today, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).DayNumber;

    /// <summary>
    /// The warning due today: the smallest threshold already reached (days left ≤ threshold), or 0 once expired; null when
    /// none is reached. Thresholds passed together (a certificate entered 10 days before expiry) give one warning.
    /// </summary>
    public static int? DueThreshold(int daysLeft, IReadOnlyList<int> thresholds)
    {
        if (daysLeft < 0)
        {
            return 0;
        }
        var reached = thresholds.Where(t => t > 0 && daysLeft <= t).ToList();
        return reached.Count == 0 ? null : reached.Min();
    }

    public static string Key(this CertificateState state) => state switch
    {
        CertificateState.Valid => "valid",
        CertificateState.ExpiringSoon => "expiring",
        CertificateState.Expired => "expired",
        CertificateState.Renewed => "renewed",
        CertificateState.Retired => "retired",
    };
}

namespace Certus.Documents.Contracts;

/// <summary>Permissions of the document register (ISO/IEC 20000-1:2018 7.5).</summary>
public static class DocumentPermissions
{
    /// <summary>Read the register and the effective documents: all staff, never customers.</summary>
    public const string Read = "documents.read";

    /// <summary>Register documents, write drafts, submit them for review, distribute.</summary>
    public const string Write = "documents.write";

    /// <summary>Approve a version under review and make it effective (manual §2.2.2: the management representative).</summary>
    public const string Approve = "documents.approve";

    /// <summary>Dispose of records whose retention period is over, and put documents under legal hold or lift it.</summary>
    public const string Dispose = "documents.dispose";
}

using Certus.Identity.Contracts;

namespace Certus.Documents.Pages.Documents;

/// <summary>What the shared register fields need: the values, the staff to choose an owner from, and whether the code is asked.</summary>
public sealed record FieldsModel(DocumentForm Form, IReadOnlyList<UserSummary> Staff, bool WithCode);

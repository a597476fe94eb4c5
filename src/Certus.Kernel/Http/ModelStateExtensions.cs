using Certus.Kernel.Errors;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Certus.Kernel.Http;

/// <summary>Shows a use case's field errors next to the form fields of a page.</summary>
public static class ModelStateExtensions
{
    /// <param name="modelState">The page's model state.</param>
    /// <param name="failure">The refusal.</param>
    /// <param name="prefix">The bound property the form fields live under, such as <c>Input</c>.</param>
    public static void AddFailure(this ModelStateDictionary modelState, Failure failure, string prefix = "Input")
    {
        if (failure.Fields is null || failure.Fields.Count == 0)
        {
            modelState.AddModelError(string.Empty, failure.Message);
            return;
        }
        foreach (var (field, messages) in failure.Fields)
        {
            var key = string.IsNullOrEmpty(prefix) ? Pascal(field) : $"{prefix}.{Pascal(field)}";
            foreach (var message in messages)
            {
                modelState.AddModelError(key, message);
            }
        }
    }

    /// <summary>
    /// Puts a use case's refusal on a page's form: a stale write as <paramref name="staleMessage"/> at the top, field
    /// errors next to their fields (with <paramref name="summarise"/>, the refusal's message at the top as well), and any
    /// other refusal at the top.
    /// </summary>
    /// <param name="modelState">The page's model state.</param>
    /// <param name="failure">The refusal.</param>
    /// <param name="staleMessage">What the page says when someone else saved the record first.</param>
    /// <param name="prefix">The bound property the form fields live under, such as <c>Input</c>.</param>
    /// <param name="summarise">Also put the refusal's message at the top when it names fields.</param>
    public static void AddOutcome(this ModelStateDictionary modelState, Failure failure, string staleMessage, string prefix = "Input", bool summarise = false)
    {
        if (failure.Kind == FailureKind.PreconditionFailed)
        {
            modelState.AddModelError(string.Empty, staleMessage);
            return;
        }
        modelState.AddFailure(failure, prefix);
        if (summarise && failure.Fields is { Count: > 0 })
        {
            modelState.AddModelError(string.Empty, failure.Message);
        }
    }

    private static string Pascal(string field) => field.Length == 0 ? field : char.ToUpperInvariant(field[0]) + field[1..];
}

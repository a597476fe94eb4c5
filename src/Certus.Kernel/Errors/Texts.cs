using Certus.Kernel.Text;
using Microsoft.Extensions.Localization;

namespace Certus.Kernel.Errors;

/// <summary>The kernel's strings and a module's strings together, as a use case needs them.</summary>
/// <typeparam name="TModule">The module's resource marker.</typeparam>
public sealed class Texts<TModule>(IStringLocalizer<Strings> kernel, IStringLocalizer<TModule> module)
{
    public IStringLocalizer<Strings> Kernel { get; } = kernel;

    public string this[string key, params object[] args] => module[key, args].Value;

    /// <summary>The module's text for a count: its <c>.One</c> form when the count is 1 (see <see cref="Plurals"/>).</summary>
    public string Count(string key, long count, params object[] more) => module.Count(key, count, more).Value;

    public FieldErrors Errors() => new(Kernel);

    public Failure Invalid(FieldErrors errors) => Failure.Invalid(errors, Kernel["Problem.Validation"]);

    public Failure NotFound() => new(FailureKind.NotFound, Kernel["Problem.NotFound"]);

    public Failure Stale() => new(FailureKind.PreconditionFailed, Kernel["Problem.PreconditionFailed"]);
}

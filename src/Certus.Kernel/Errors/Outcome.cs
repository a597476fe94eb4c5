namespace Certus.Kernel.Errors;

/// <summary>Why a use case refused to act; the host turns each kind into its HTTP status.</summary>
public enum FailureKind
{
    Validation,
    NotFound,
    Conflict,
    PreconditionFailed,
    Forbidden,

    /// <summary>Well-formed input whose content cannot be used (a template that does not compile): 422 with field errors.</summary>
    Unprocessable,
}

/// <summary>A refusal with a message in the caller's language, and field errors when it is a validation failure.</summary>
public sealed record Failure(FailureKind Kind, string Message, IDictionary<string, string[]>? Fields = null)
{
    public static Failure Invalid(FieldErrors errors, string message) => new(FailureKind.Validation, message, errors.ToDictionary());
}

/// <summary>The result of a use case: a value or a <see cref="Failure"/>.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    public bool Succeeded => Failure is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    internal static Outcome<T> Success(T value) => new(value, null);

    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}

/// <summary>Builds outcomes where an implicit conversion cannot (interface-typed values).</summary>
public static class Outcome
{
    public static Outcome<T> Ok<T>(T value) => Outcome<T>.Success(value);
}

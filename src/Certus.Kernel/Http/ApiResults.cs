using Certus.Kernel.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace Certus.Kernel.Http;

/// <summary>Turns use-case failures into RFC 7807 problem details in the caller's language.</summary>
public static class ApiResults
{
    public static IResult Problem(HttpContext http, Failure failure)
    {
        var text = http.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
        var detail = string.IsNullOrEmpty(failure.Message) ? null : failure.Message;
        return failure.Kind switch
        {
            FailureKind.Validation => TypedResults.ValidationProblem(
                failure.Fields ?? new Dictionary<string, string[]>(StringComparer.Ordinal),
                title: text["Problem.Validation"]),
            FailureKind.NotFound => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: text["Problem.NotFound"]),
            // A conflict may list what it clashes with (a change schedule's conflicts), under "errors" as validation does.
            FailureKind.Conflict => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: text["Problem.Conflict"],
                extensions: failure.Fields is { Count: > 0 } fields ? new Dictionary<string, object?>(StringComparer.Ordinal) { ["errors"] = fields } : null),
            FailureKind.PreconditionFailed => TypedResults.Problem(detail, statusCode: StatusCodes.Status412PreconditionFailed, title: text["Problem.PreconditionFailed"]),
            FailureKind.Forbidden => TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: text["Problem.Forbidden"]),
            FailureKind.Unprocessable => TypedResults.Problem(new HttpValidationProblemDetails(
                failure.Fields ?? new Dictionary<string, string[]>(StringComparer.Ordinal))
            {
                Status = StatusCodes.Status422UnprocessableEntity, Title = text["Problem.Validation"], Detail = detail,
            }),
        };
    }

    /// <summary>The version a client read, from a strong ETag such as <c>"3"</c> in If-Match.</summary>
    public static int? IfMatchVersion(HttpContext http)
    {
        var header = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }
        var raw = header.Trim();
        if (raw.StartsWith("W/", StringComparison.Ordinal))
        {
            raw = raw[2..];
        }
        raw = raw.Trim('"');
        return int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1;
    }

    public static void SetETag(HttpContext http, int version) =>
        http.Response.Headers[HeaderNames.ETag] = ETag(version);

    public static string ETag(int version) => $"\"{version}\"";

    /// <summary>428: a write to a versioned record must say which version it read.</summary>
    public static IResult PreconditionRequired(HttpContext http)
    {
        var text = http.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
        return TypedResults.Problem(text["Problem.PreconditionRequired"], statusCode: StatusCodes.Status428PreconditionRequired,
            title: text["Problem.PreconditionRequired"]);
    }

    /// <summary>200 with the record and its ETag, or 404.</summary>
    public static IResult Read<T>(HttpContext http, T? record) where T : class, IVersioned
    {
        if (record is null)
        {
            return NotFound(http);
        }
        SetETag(http, record.Version);
        return TypedResults.Ok(record);
    }

    /// <summary>201 with Location and ETag, or the failure as problem details.</summary>
    public static IResult Created<T>(HttpContext http, Outcome<T> outcome, Func<T, string> location) where T : IVersioned
    {
        if (!outcome.Succeeded)
        {
            return Problem(http, outcome.Failure!);
        }
        SetETag(http, outcome.Value!.Version);
        return TypedResults.Created(location(outcome.Value), outcome.Value);
    }

    /// <summary>200 with the changed record and its new ETag, or the failure as problem details.</summary>
    public static IResult Saved<T>(HttpContext http, Outcome<T> outcome) where T : IVersioned
    {
        if (!outcome.Succeeded)
        {
            return Problem(http, outcome.Failure!);
        }
        SetETag(http, outcome.Value!.Version);
        return TypedResults.Ok(outcome.Value);
    }

    /// <summary>
    /// The versioned write: 404 when the caller cannot see the record (whatever the version says), 428 without
    /// If-Match, 412 when stale, else 200 with the new ETag.
    /// </summary>
    public static async Task<IResult> UpdateAsync<T>(HttpContext http, Func<Task<bool>> visible, Func<int, Task<Outcome<T>>> update) where T : IVersioned
    {
        if (!await visible())
        {
            return NotFound(http);
        }
        if (IfMatchVersion(http) is not { } version)
        {
            return PreconditionRequired(http);
        }
        return Saved(http, await update(version));
    }

    /// <summary>404 for an unknown id and for another organisation's record alike: its existence is not revealed.</summary>
    public static IResult NotFound(HttpContext http) => Problem(http, new Failure(FailureKind.NotFound, ""));
}

using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Certus.Kernel.Http;

/// <summary>
/// Drops a validation summary that has nothing to say. The framework renders an empty one with a hidden item carrying
/// an inline style, which the content security policy refuses (a console error on every page with a form).
/// Pages pick it up with <c>@addTagHelper *, Certus.Kernel</c>.
/// </summary>
[HtmlTargetElement("div", Attributes = "asp-validation-summary")]
public sealed class QuietValidationSummaryTagHelper : TagHelper
{
    /// <summary>Runs after the framework's validation summary has rendered.</summary>
    public override int Order => 1000;

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var empty = output.Attributes.TryGetAttribute("class", out var css)
            && (css.Value?.ToString() ?? "").Contains("validation-summary-valid", StringComparison.Ordinal);
        if (ViewContext.ModelState.IsValid || empty)
        {
            output.SuppressOutput();
        }
    }
}

using System.Collections.Concurrent;
using HandlebarsDotNet;

namespace Certus.Notifications.Features;

/// <summary>A rendered notification: subject and Markdown body as plain text, and the body as safe HTML.</summary>
public sealed record RenderedMessage(string Subject, string Body, string BodyHtml);

/// <summary>
/// Renders notification templates with Handlebars. The text body keeps values as they are (it is sent as
/// text/plain and shown in the app through the Markdown renderer, which shows any HTML as text); the HTML
/// alternative is rendered with every value HTML-escaped and then through <see cref="Kernel.Text.Markdown"/>.
/// </summary>
public sealed class TemplateRenderer
{
    private readonly IHandlebars _escaping = Handlebars.Create(new HandlebarsConfiguration { ThrowOnUnresolvedBindingExpression = false });
    private readonly IHandlebars _plain = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = false });
    private readonly ConcurrentDictionary<(bool Escape, string Source), HandlebarsTemplate<object, object>> _compiled = new();

    /// <summary>The compiler's complaint about <paramref name="source"/>, or <c>null</c> when it compiles.</summary>
    public string? Check(string source)
    {
        try
        {
            Compile(source, escape: false);
            Compile(source, escape: true);
            return null;
        }
        catch (HandlebarsException e)
        {
            return e.Message;
        }
    }

    public RenderedMessage Render(string subject, string body, IReadOnlyDictionary<string, object?> model)
    {
        var values = model.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        // A subject is one line: a value with a line break must not start a second header line.
        var renderedSubject = Compile(subject, escape: false)(values).ReplaceLineEndings(" ").Trim();
        var text = Compile(body, escape: false)(values);
        var html = Kernel.Text.Markdown.ToHtml(Compile(body, escape: true)(values)).Value ?? "";
        return new RenderedMessage(renderedSubject, text, html);
    }

    private HandlebarsTemplate<object, object> Compile(string source, bool escape) =>
        _compiled.GetOrAdd((escape, source), key => (key.Escape ? _escaping : _plain).Compile(key.Source));
}

using Microsoft.Playwright;

namespace Certus.BrowserTests;

/// <summary>How the browser tests act on Certus's pages, the way a person at the keyboard would.</summary>
internal static class Browsing
{
    /// <summary>
    /// Clicks what sends a form and waits until the page it leads to has loaded whole. Acting on a page that is
    /// still arriving races the browser's parser: filling and sending its next form before the rest of it (the
    /// antiforgery token comes last) is there sends the form without it.
    /// </summary>
    public static async Task SubmitAsync(this IPage page, string selector)
    {
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage loadedPage) => loaded.TrySetResult();
        page.Load += OnLoad;
        try
        {
            await page.ClickAsync(selector);
            await loaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"Clicking {selector} loaded no page within 30 s; still at {page.Url}, showing: {await ShownErrorsAsync(page)}", timeout);
        }
        finally
        {
            page.Load -= OnLoad;
        }
    }

    /// <summary>What the page shows as errors: field messages, alerts and the error page's title.</summary>
    public static async Task<string> ShownErrorsAsync(this IPage page) =>
        string.Join(" | ", await page.Locator(".invalid-feedback:not(:empty), .alert, [data-testid=error-title]").AllTextContentsAsync());

    /// <summary>Signs in through the sign-in page and waits for the home page.</summary>
    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/account/sign-in");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", password);
        await page.SubmitAsync("[data-testid=sign-in]");
        await page.WaitForSelectorAsync("[data-testid=welcome]");
    }

    /// <summary>Collects what the page reports as errors: console errors (CSP violations show there) and uncaught exceptions.</summary>
    public static List<string> WatchErrors(this IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }
}

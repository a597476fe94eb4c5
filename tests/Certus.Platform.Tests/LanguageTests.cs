using System.Net;
using System.Net.Http.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Platform.Tests;

public sealed class LanguageTests(SqliteCertus host) : IClassFixture<SqliteCertus>
{
    [Theory]
    [InlineData("zh-CN", "登录 Certus")]
    [InlineData("zh-TW,zh;q=0.9", "登录 Certus")]
    [InlineData("en-GB,en;q=0.8", "Sign in to Certus")]
    public async Task The_browser_language_is_the_default(string acceptLanguage, string heading)
    {
        using var client = host.Anonymous(acceptLanguage);

        var html = await client.GetStringAsync("/account/sign-in");

        html.ShouldContain(heading);
    }

    [Fact]
    public async Task A_users_choice_is_remembered_on_the_account_and_beats_the_browser()
    {
        var build = await Builders.ForAsync(host);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "service-desk-agent");
        using (var english = new BrowserSession(host, "en-US"))
        {
            (await english.SignInAsync(user.Email, user.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
            var switched = await english.PostFormAsync("/", "/account/language", new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["culture"] = "zh-CN",
                ["returnUrl"] = "/",
            });
            switched.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            (await english.GetHtmlAsync("/")).ShouldContain("<html lang=\"zh-CN\">");
        }

        // A new browser that prefers English: the account's choice wins once signed in.
        using var fresh = new BrowserSession(host, "en-US");
        (await fresh.GetHtmlAsync("/account/sign-in")).ShouldContain("Sign in to Certus");
        await fresh.SignInAsync(user.Email, user.Password);
        var home = await fresh.GetHtmlAsync("/");
        home.ShouldContain("<html lang=\"zh-CN\">");
        home.ShouldContain("首页");
        (await (await build.ClientAsync(user)).GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/me")).GetProperty("culture").GetString().ShouldBe("zh-CN");
    }

    [Fact]
    public void Every_string_has_an_english_and_a_chinese_text()
    {
        // Strings.resx and a module's other string sets such as PlanningStrings.resx.
        var files = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "src"), "*Strings.resx", SearchOption.AllDirectories);
        foreach (var neutral in files)
        {
            var chinese = neutral[..^".resx".Length] + ".zh-CN.resx";
            File.Exists(chinese).ShouldBeTrue(chinese);
            Keys(neutral).ShouldBe(Keys(chinese), neutral);
        }
    }

    [Fact]
    public void Conformity_check_summaries_read_right_when_a_count_is_one()
    {
        // A check's summary is formatted with its counts; with every placeholder at 1 none may read "1 documents".
        var plural = new System.Text.RegularExpressions.Regex(
            @"\b1 (?:[\w-]+ ){0,3}?(?:changes|documents|incidents|certificates|people|sessions|objectives|risks|opportunities|CIs|audits|findings|nonconformities|releases|services|requirements|levels|records|checks|days)\b",
            System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        var seen = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "src"), "*Strings.resx", SearchOption.AllDirectories))
        {
            foreach (var data in System.Xml.Linq.XDocument.Load(file).Root!.Elements("data").Where(d => d.Attribute("name")!.Value.StartsWith("Check.", StringComparison.Ordinal)))
            {
                var text = System.Text.RegularExpressions.Regex.Replace(data.Element("value")!.Value, @"\{\d+(?:[:,][^}]*)?\}", "1",
                    System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
                plural.IsMatch(text).ShouldBeFalse($"{Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file)))} {data.Attribute("name")!.Value}: {text}");
                seen++;
            }
        }
        seen.ShouldBeGreaterThan(40);
    }

    private static List<string> Keys(string resx) =>
        System.Xml.Linq.XDocument.Load(resx).Root!.Elements("data")
            .Where(d => !string.IsNullOrWhiteSpace(d.Element("value")?.Value))
            .Select(d => d.Attribute("name")!.Value).Order(StringComparer.Ordinal).ToList();
}

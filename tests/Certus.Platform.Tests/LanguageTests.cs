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

    // Keys whose placeholders are not counts, so "1 ..." never reaches a reader (or reads right as it is).
    private static readonly HashSet<string> NotCounts = new(StringComparer.Ordinal)
    {
        "Audits Audit.FindingsStillOpen", // {0} is the audit's number, {1} the list of open findings
        "Audits Review.OpenActions", // {0} is the review's number, {1} the list of open actions
        "Changes Board.Empty", // {0} is the change board's name
        "Documents Document.RetentionRange", // a fixed range: "1 to 1200 months"
        "Documents Document.ReviewMonthsRange", // a fixed range: "1 to 60 months"
        "Identity Token.ExpiryRange", // a range: "between 1 and {0} days", the upper bound a limit far above one
        "Problems Problem.NoChangesNow", // {0} is the problem's state
        "Problems Problem.TooManyCis", // {0} is a fixed limit ("at most 50 configuration items")
        "Problems Problem.TooManyIncidents", // {0} is a fixed limit ("at most 200 incidents at once")
    };

    [Fact]
    public void English_texts_read_right_when_a_count_is_one()
    {
        // Every text is formatted with 1 for each placeholder; none may read "1 incidents" unless the key has a ".One"
        // text for a count of one (Plurals.Count picks it) or its placeholders are not counts. "1 or more" reads right.
        var plural = new System.Text.RegularExpressions.Regex(
            @"\b1 (?!or more\b)(?:[\w%-]+ ){0,3}?(?:" +
            "incidents|changes|problems|releases|known errors|CIs|configuration items|documents|records|certificates|people|" +
            "sessions|objectives|risks|opportunities|audits|findings|nonconformities|observations|services|customers|" +
            "requirements|levels|checks|entries|errors|conflicts|versions|holidays|working days|days|weeks|months|years|" +
            "hours|minutes|resolutions|callers|responses|items|relationships|points|members|users|actions|reviews|times" +
            @")\b",
            System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        var seen = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "src"), "*Strings.resx", SearchOption.AllDirectories))
        {
            var module = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file)));
            var texts = System.Xml.Linq.XDocument.Load(file).Root!.Elements("data")
                .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value, StringComparer.Ordinal);
            foreach (var (key, value) in texts)
            {
                seen++;
                if (texts.ContainsKey(key + ".One") || NotCounts.Contains($"{module} {key}"))
                {
                    continue;
                }

                var text = System.Text.RegularExpressions.Regex.Replace(value, @"\{\d+(?:[:,][^}]*)?\}", "1",
                    System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
                plural.IsMatch(text).ShouldBeFalse($"{module} {key}: {text}");
            }
        }

        seen.ShouldBeGreaterThan(2000);
    }

    [Fact]
    public void The_not_a_count_list_names_only_keys_that_exist()
    {
        var keys = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "src"), "*Strings.resx", SearchOption.AllDirectories)
            .SelectMany(file => Keys(file).Select(key => $"{Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file)))} {key}"))
            .ToHashSet(StringComparer.Ordinal);

        NotCounts.Where(k => !keys.Contains(k)).ShouldBeEmpty();
    }

    private static List<string> Keys(string resx) =>
        System.Xml.Linq.XDocument.Load(resx).Root!.Elements("data")
            .Where(d => !string.IsNullOrWhiteSpace(d.Element("value")?.Value))
            .Select(d => d.Attribute("name")!.Value).Order(StringComparer.Ordinal).ToList();
}

using Certus.Data.Search;
using Shouldly;
using Xunit;

namespace Certus.Incidents.Tests.Domain;

public sealed class SearchTextTests
{
    [Fact]
    public void Chinese_runs_become_overlapping_bigrams_and_words_are_lower_cased()
    {
        SearchText.Document("核心网络交换机故障 Core Switch").ShouldBe("核心 心网 网络 络交 交换 换机 机故 故障 core switch");
    }

    [Fact]
    public void A_query_needs_every_token_and_latin_words_match_as_prefixes()
    {
        SearchText.Fts5Query("网络 switch").ShouldBe("\"网络\" AND \"switch\"*");
        SearchText.TsQuery("网络 switch").ShouldBe("'网络' & 'switch':*");
        SearchText.Fts5Query("网").ShouldBe("\"网\"*");
    }

    [Fact]
    public void Punctuation_and_quotes_cannot_break_out_of_the_query()
    {
        SearchText.Fts5Query("\" OR 1=1 --").ShouldBe("\"or\"* AND \"1\"* AND \"1\"*");
        SearchText.TsQuery("'); DROP TABLE x; --").ShouldBe("'drop':* & 'table':* & 'x':*");
        SearchText.Fts5Query("  ,.; ").ShouldBeNull();
    }
}

public sealed class MarkdownTests
{
    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("![x](http://evil.example/x.png)")]
    public void User_markdown_never_carries_script_or_remote_images(string markdown)
    {
        var html = Certus.Kernel.Text.Markdown.ToHtml(markdown).Value!;

        html.ShouldNotContain("javascript:");
        html.ShouldNotContain("<script");
        html.ShouldNotContain("<img");
    }

    [Fact]
    public void Ordinary_markdown_renders()
    {
        Certus.Kernel.Text.Markdown.ToHtml("**B 区** <https://example.com>").Value.ShouldBe("<p><strong>B 区</strong> <a href=\"https://example.com\">https://example.com</a></p>\n");
    }
}

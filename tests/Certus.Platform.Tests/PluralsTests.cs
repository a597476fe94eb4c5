using System.Globalization;
using Certus.Kernel.Text;
using Microsoft.Extensions.Localization;
using Shouldly;
using Xunit;

namespace Certus.Platform.Tests;

public sealed class PluralsTests
{
    private static readonly Localizer Text = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Incidents.Total"] = "{0} incidents",
        ["Incidents.Total.One"] = "{0} incident",
        ["Bulk.Done"] = "{0} incidents updated; {1} could not be moved.",
        ["Bulk.Done.One"] = "1 incident updated; {1} could not be moved.",
        ["Changes.Count"] = "{0} changes",
    });

    [Theory]
    [InlineData(1, "1 incident")]
    [InlineData(0, "0 incidents")]
    [InlineData(2, "2 incidents")]
    public void A_count_of_one_takes_the_one_text_and_any_other_count_the_base_text(long count, string expected) =>
        Text.Count("Incidents.Total", count).Value.ShouldBe(expected);

    [Fact]
    public void More_arguments_fill_the_placeholders_after_the_count()
    {
        Text.Count("Bulk.Done", 1, 3).Value.ShouldBe("1 incident updated; 3 could not be moved.");
        Text.Count("Bulk.Done", 4, 1).Value.ShouldBe("4 incidents updated; 1 could not be moved.");
    }

    [Fact]
    public void Without_a_one_text_a_count_of_one_takes_the_base_text()
    {
        var text = Text.Count("Changes.Count", 1);

        text.Value.ShouldBe("1 changes");
        text.ResourceNotFound.ShouldBeFalse();
    }

    private sealed class Localizer(Dictionary<string, string> texts) : IStringLocalizer
    {
        public LocalizedString this[string name] =>
            texts.TryGetValue(name, out var value) ? new(name, value) : new(name, name, resourceNotFound: true);

        public LocalizedString this[string name, params object[] arguments] =>
            texts.TryGetValue(name, out var value)
                ? new(name, string.Format(CultureInfo.InvariantCulture, value, arguments))
                : new(name, name, resourceNotFound: true);

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => texts.Select(t => new LocalizedString(t.Key, t.Value));
    }
}

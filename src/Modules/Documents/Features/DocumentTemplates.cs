using Certus.Kernel.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Documents.Features;

/// <summary>The default texts of the document notifications, in both languages; administrators can edit them.</summary>
internal static class DocumentTemplates
{
    public const string Published = "documents.published";
    public const string ReviewDue = "documents.review-due";
    public const string DisposalDue = "documents.disposal-due";

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton(new NotificationTemplateDefault(Published, "en-US",
            "{{code}} {{titleEn}}: version {{label}} is in force",
            "Version **{{label}}** of **{{code}} {{titleEn}}** is now effective. You hold this document: please read it and confirm on its page."));
        services.AddSingleton(new NotificationTemplateDefault(Published, "zh-CN",
            "{{code}} {{titleZh}}：{{label}} 版已生效",
            "**{{code}} {{titleZh}}** 的 **{{label}}** 版现已生效。您是该文件的持有人，请阅读并在文件页面确认。"));
        services.AddSingleton(new NotificationTemplateDefault(ReviewDue, "en-US",
            "{{code}} {{titleEn}}: review due {{due}}",
            "**{{code}} {{titleEn}}** is due for review on {{due}}. Review it and publish a new version, or confirm it and set the next review date."));
        services.AddSingleton(new NotificationTemplateDefault(ReviewDue, "zh-CN",
            "{{code}} {{titleZh}}：应于 {{due}} 评审",
            "**{{code}} {{titleZh}}** 应于 {{due}} 进行评审。请评审并发布新版本，或确认后设定下次评审日期。"));
        services.AddSingleton(new NotificationTemplateDefault(DisposalDue, "en-US",
            "{{code}} {{titleEn}}: {{count}} record(s) past retention",
            "The retention period of version(s) **{{labels}}** of **{{code}} {{titleEn}}** ended on {{due}}. Dispose of them on the records retention page, or put the document under legal hold if they must be kept."));
        services.AddSingleton(new NotificationTemplateDefault(DisposalDue, "zh-CN",
            "{{code}} {{titleZh}}：{{count}} 份记录保留期满",
            "**{{code}} {{titleZh}}** 的 **{{labels}}** 版已于 {{due}} 保留期满。请在记录保留页面办理销毁；如仍须保留，请对该文件设置法律保全。"));
    }
}

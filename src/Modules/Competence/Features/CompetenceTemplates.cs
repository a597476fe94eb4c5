using Certus.Kernel.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Competence.Features;

/// <summary>The default texts of the competence notifications, in both languages; administrators can edit them.</summary>
internal static class CompetenceTemplates
{
    public const string CertificateExpiring = "competence.certificate-expiring";
    public const string CertificateExpired = "competence.certificate-expired";

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton(new NotificationTemplateDefault(CertificateExpiring, "en-US",
            "Certificate {{name}} of {{holder}} expires on {{expiresOn}}",
            "The certificate **{{name}}** ({{issuer}}, no. {{number}}) held by **{{holder}}** expires on **{{expiresOn}}**, in {{days}} days. "
            + "Plan its renewal, or retire it on the training record if the work no longer needs it."));
        services.AddSingleton(new NotificationTemplateDefault(CertificateExpiring, "zh-CN",
            "{{holder}} 的证书 {{name}} 将于 {{expiresOn}} 到期",
            "**{{holder}}** 持有的证书 **{{name}}**（{{issuer}}，编号 {{number}}）将于 **{{expiresOn}}** 到期，还剩 {{days}} 天。"
            + "请安排复审或换证；如工作已不再需要该证书，请在培训档案中将其注销。"));
        services.AddSingleton(new NotificationTemplateDefault(CertificateExpired, "en-US",
            "Certificate {{name}} of {{holder}} expired on {{expiresOn}}",
            "The certificate **{{name}}** ({{issuer}}, no. {{number}}) held by **{{holder}}** expired on **{{expiresOn}}** and has not been renewed. "
            + "Record the renewed certificate, or retire this one with the reason."));
        services.AddSingleton(new NotificationTemplateDefault(CertificateExpired, "zh-CN",
            "{{holder}} 的证书 {{name}} 已于 {{expiresOn}} 过期",
            "**{{holder}}** 持有的证书 **{{name}}**（{{issuer}}，编号 {{number}}）已于 **{{expiresOn}}** 过期且尚未换证。"
            + "请登记新证书，或注明原因将其注销。"));
    }
}

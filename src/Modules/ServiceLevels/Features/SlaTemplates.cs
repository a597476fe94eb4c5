using Certus.Kernel.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.ServiceLevels.Features;

/// <summary>The default texts of the SLA notifications, in both languages; administrators can edit them.</summary>
internal static class SlaTemplates
{
    public const string Escalated = "sla.escalated";

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton(new NotificationTemplateDefault(Escalated, "en-US",
            "{{number}}: {{metricEn}} target {{levelEn}}",
            "**{{number}} {{title}}** has reached the {{levelEn}} level of its {{metricEn}} target (P{{priority}}, due {{dueAt}}).\n\nRule: {{rule}}. Agreement: {{agreement}}."));
        services.AddSingleton(new NotificationTemplateDefault(Escalated, "zh-CN",
            "{{number}}：{{metricZh}}目标{{levelZh}}",
            "**{{number}} {{title}}** 的{{metricZh}}目标已{{levelZh}}（P{{priority}}，到期 {{dueAt}}）。\n\n升级规则：{{rule}}。协议：{{agreement}}。"));
    }
}

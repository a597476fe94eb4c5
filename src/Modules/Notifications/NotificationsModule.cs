using Certus.Data;
using Certus.Kernel.Modules;
using Certus.Kernel.Notifications;
using Certus.Kernel.Security;
using Certus.Notifications.Api;
using Certus.Notifications.Contracts;
using Certus.Notifications.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Notifications;

/// <summary>Notifications in the app and by mail (ISO/IEC 20000-1:2018 7.4 communication; 8.3.3 notifications of SLA).</summary>
public sealed class NotificationsModule : IModule
{
    public string Name => "notifications";

    public string TablePrefix => "ntf_";

    public Type Strings => typeof(Strings);

    public IReadOnlyList<PermissionDefinition> Permissions { get; } =
    [
        new(NotificationPermissions.Read, Roles.All),
        new(NotificationPermissions.Manage, [Roles.Administrator]),
    ];

    public IReadOnlyList<MenuEntry> Menu { get; } =
    [
        new("Menu.NotificationTemplates", "/admin/notification-templates", NotificationPermissions.Manage, "template", 930, "admin"),
        new("Menu.Outbox", "/admin/outbox", NotificationPermissions.Manage, "mail-forward", 931, "admin"),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(MailOptions.Section);
        services.Configure<MailOptions>(section);
        services.AddSingleton<TemplateRenderer>();
        services.AddScoped<NotificationTemplates>();
        services.AddScoped<Outbox>();
        services.AddScoped<MyNotifications>();
        services.AddScoped<INotifier, Notifier>();

        // The module's own template: the outbox page's test mail.
        services.AddSingleton(new NotificationTemplateDefault(Outbox.TestTemplate, "en-US",
            "Certus test mail",
            "This is a test mail from Certus, sent by **{{sentBy}}** at {{sentAt}} to {{address}}.\n\nIf you can read this, mail delivery works."));
        services.AddSingleton(new NotificationTemplateDefault(Outbox.TestTemplate, "zh-CN",
            "Certus 测试邮件",
            "这是一封 Certus 测试邮件，由 **{{sentBy}}** 于 {{sentAt}} 发送至 {{address}}。\n\n能读到这封邮件，说明邮件发送工作正常。"));

        services.AddRepeatingJob<DeliverMail>(DeliverMail.Job, section.GetValue("PollEvery", TimeSpan.FromSeconds(10)));
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => NotificationsApi.Map(endpoints);
}

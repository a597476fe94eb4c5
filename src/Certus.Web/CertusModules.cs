using Certus.Audits;
using Certus.Changes;
using Certus.Competence;
using Certus.Compliance;
using Certus.Configuration;
using Certus.Documents;
using Certus.Identity;
using Certus.Improvement;
using Certus.Incidents;
using Certus.Kernel.Modules;
using Certus.Notifications;
using Certus.Problems;
using Certus.Releases;
using Certus.ServiceLevels;

namespace Certus.Web;

/// <summary>The modules this build of Certus runs, in menu order. Listed by hand: nothing is discovered.</summary>
public static class CertusModules
{
    public static IReadOnlyList<IModule> All { get; } =
    [
        new IdentityModule(),
        new IncidentsModule(),
        new ProblemsModule(),
        new ServiceLevelsModule(),
        new ConfigurationModule(),
        new ChangesModule(),
        new ReleasesModule(),
        new DocumentsModule(),
        new ComplianceModule(),
        new ImprovementModule(),
        new AuditsModule(),
        new CompetenceModule(),
        new NotificationsModule(),
    ];
}

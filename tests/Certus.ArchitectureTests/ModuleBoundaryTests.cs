using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Certus.Data;
using Certus.Web;
using Shouldly;
using Xunit;

namespace Certus.ArchitectureTests;

/// <summary>
/// style.md habit 1: a module talks to another only through its Contracts/, and every table carries its
/// module's prefix. These read the compiled assemblies and the embedded scripts, so they cover modules added later.
/// </summary>
public sealed partial class ModuleBoundaryTests
{
    private static readonly Assembly[] ModuleAssemblies = CertusModules.All.Select(m => m.Assembly).Distinct().ToArray();

    [Fact]
    public void No_two_modules_compile_a_page_at_the_same_path()
    {
        // Razor Pages from several assemblies share one namespace of page paths: two "/Audits/Index" pages make one of
        // them unreachable, whatever routes their @page directives declare.
        var pages = ModuleAssemblies
            .SelectMany(a => a.GetCustomAttributes<Microsoft.AspNetCore.Razor.Hosting.RazorCompiledItemAttribute>()
                .Where(i => i.Kind == "mvc.1.0.razor-page")
                .Select(i => (Module: a.GetName().Name!, Path: i.Identifier)))
            .ToList();
        pages.Count.ShouldBeGreaterThan(20);
        pages.GroupBy(p => p.Path, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(p => p.Module))}").ShouldBeEmpty();
    }

    [Fact]
    public void Modules_use_each_other_only_through_their_contracts()
    {
        // The reader must see cross-assembly references at all, or the rule below would pass vacuously.
        TypeReferences(ModuleAssemblies[0]).ShouldContain(r => r.Assembly == "Certus.Kernel" && r.Namespace == "Certus.Kernel.Security");
        var violations = new List<string>();
        foreach (var module in ModuleAssemblies)
        {
            var others = ModuleAssemblies.Where(a => a != module).Select(a => a.GetName().Name!).ToHashSet(StringComparer.Ordinal);
            foreach (var (assembly, ns, type) in TypeReferences(module))
            {
                if (others.Contains(assembly) && !ns.Contains(".Contracts", StringComparison.Ordinal))
                {
                    violations.Add($"{module.GetName().Name} uses {ns}.{type} from {assembly}");
                }
            }
        }
        violations.ShouldBeEmpty();
    }

    [Fact]
    public void Work_on_a_clock_is_a_quartz_job_not_a_loop_per_instance()
    {
        // ADR 0006: a BackgroundService loop runs on every instance of a cluster, so its reminders go out once per
        // instance. Only a warm-up of an instance's own memory may run that way.
        string[] perInstance = ["Certus.Configuration.Features.WarmRelationshipGraph"];
        var loops = ModuleAssemblies.SelectMany(a => a.GetTypes())
            .Where(t => typeof(Microsoft.Extensions.Hosting.BackgroundService).IsAssignableFrom(t))
            .Select(t => t.FullName!).ToList();
        loops.ShouldContain(perInstance[0], "the rule must see BackgroundServices at all");
        loops.Except(perInstance, StringComparer.Ordinal).ShouldBeEmpty();
    }

    [Fact]
    public void The_kernel_depends_on_no_module_and_no_database_library()
    {
        var references = typeof(Kernel.Strings).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.ShouldNotContain(n => n.StartsWith("Certus.", StringComparison.Ordinal));
        references.ShouldNotContain("Dapper");
        references.ShouldNotContain("Npgsql");
    }

    [Fact]
    public void Every_table_carries_its_modules_prefix()
    {
        var prefixes = CertusModules.All.ToDictionary(m => m.Name, m => m.TablePrefix, StringComparer.Ordinal);
        prefixes["platform"] = "sys_";
        var sources = new[] { new MigrationSource("platform", typeof(Database).Assembly) }
            .Concat(CertusModules.All.Select(m => new MigrationSource(m.Name, m.Assembly)));
        var violations = new List<string>();
        var tables = 0;
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            foreach (var script in MigrationRunner.LoadScripts(sources, provider))
            {
                foreach (Match match in CreateTable().Matches(script.Sql))
                {
                    tables++;
                    var table = match.Groups["table"].Value;
                    if (!table.StartsWith(prefixes[script.Module], StringComparison.Ordinal))
                    {
                        violations.Add($"{provider} {script.Id}: {table} lacks {prefixes[script.Module]}");
                    }
                }
            }
        }
        tables.ShouldBeGreaterThan(0);
        violations.ShouldBeEmpty();
    }

    [Fact]
    public void Modules_have_distinct_names_and_prefixes()
    {
        CertusModules.All.Select(m => m.Name).ShouldBeUnique();
        CertusModules.All.Select(m => m.TablePrefix).Append("sys_").ShouldBeUnique();
    }

    [Fact]
    public void Domain_types_know_nothing_of_databases_or_http()
    {
        var forbidden = new[] { "Dapper", "Npgsql", "Microsoft.Data.Sqlite", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Mvc" };
        foreach (var module in ModuleAssemblies)
        {
            foreach (var type in module.GetTypes().Where(t => t.Namespace?.EndsWith(".Domain", StringComparison.Ordinal) == true))
            {
                var used = type.GetProperties().Select(p => p.PropertyType)
                    .Concat(type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                        .SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)));
                foreach (var t in used)
                {
                    forbidden.ShouldNotContain(f => (t.Namespace ?? "").StartsWith(f, StringComparison.Ordinal), $"{type.FullName} uses {t.FullName}");
                }
            }
        }
    }

    private static List<(string Assembly, string Namespace, string Type)> TypeReferences(Assembly assembly)
    {
        using var stream = File.OpenRead(assembly.Location);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var result = new List<(string Assembly, string Namespace, string Type)>();
        foreach (var handle in reader.TypeReferences)
        {
            var reference = reader.GetTypeReference(handle);
            var scope = reference.ResolutionScope;
            while (scope.Kind == HandleKind.TypeReference)
            {
                var outer = reader.GetTypeReference((TypeReferenceHandle)scope);
                reference = outer;
                scope = outer.ResolutionScope;
            }
            if (scope.Kind != HandleKind.AssemblyReference)
            {
                continue;
            }
            var assemblyName = reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name);
            result.Add((assemblyName, reader.GetString(reference.Namespace), reader.GetString(reference.Name)));
        }
        return result;
    }

    [GeneratedRegex(@"CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?(?<table>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex CreateTable();
}

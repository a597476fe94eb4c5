using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Certus.Data;

/// <summary>
/// Keeps ASP.NET Core data-protection keys in the database so that every Certus instance behind a load
/// balancer can read the cookies and antiforgery tokens another one issued.
/// </summary>
public sealed class DataProtectionKeyRepository(Database database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        return connection.Query<string>("SELECT xml FROM sys_data_protection_keys ORDER BY created_at")
            .Select(XElement.Parse)
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        connection.Execute(
            "INSERT INTO sys_data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @at)",
            new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), at = DateTimeOffset.UtcNow });
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Certus.Identity.Infrastructure;

/// <summary>Opaque bearer tokens: random, shown once, stored only as a SHA-256 hash.</summary>
internal static class Tokens
{
    public const string AccessPrefix = "cat_";
    public const string PersonalPrefix = "cpt_";

    public static string New(string prefix) => prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

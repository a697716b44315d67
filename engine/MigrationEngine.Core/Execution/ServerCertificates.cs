using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MigrationEngine.Core.Execution;

/// <summary>
/// The one rule for trusting a server's TLS certificate, for every adapter (IMAP, Graph, DAV): the system's validation
/// first; with the endpoint's <c>caFile</c> (<see cref="Loading.TrustedCaFile"/>), a chain built on those CAs only (custom
/// root trust, no revocation check: private CAs rarely publish lists, and the CA file is the trust decision). Never
/// accept-all: a wrong host name or a missing certificate is refused whatever the CA.
/// </summary>
public static class ServerCertificates
{
    /// <summary>Why the certificate is refused, in words for a diagnostic; null when it is trusted.</summary>
    public static string? Problem(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection? authorities, string host, string? caFile)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
                ? $"the server certificate is not valid for the name '{host}'"
                : "the server sent no certificate";
        }

        if (authorities is null)
        {
            return "the server certificate is not trusted: " + Describe(chain);
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf) ? null : $"the server certificate does not chain to the CA in caFile {caFile}: " + Describe(custom);
    }

    private static string Describe(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "untrusted issuer"
            : string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status} ({s.StatusInformation.Trim()})").Distinct());
}

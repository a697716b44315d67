using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.TestSupport;

namespace MigrationEngine.Core.Tests.Loading;

/// <summary>An endpoint's caFile is loaded in one place, under the rules of every path a plan names.</summary>
[Trait("Category", "Unit")]
public sealed class TrustedCaFileTests : IDisposable
{
    private readonly TempDirectory _temp = new("me-cafile");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_pem_file_in_the_plans_folder_gives_its_certificates()
    {
        File.WriteAllText(Path.Combine(_temp.Path, "ca.pem"), "comment before\n" + Certificate("CN=one") + Certificate("CN=two"));
        var certificates = TrustedCaFile.Load(Plan(), Endpoint("ca.pem"));
        Assert.NotNull(certificates);
        Assert.Equal(["CN=one", "CN=two"], certificates.Select(c => c.Subject));
        Assert.Null(TrustedCaFile.Load(Plan(), Endpoint(null)));
    }

    [Fact]
    public void A_file_outside_the_plans_folder_is_refused_unless_an_allowed_root_holds_it()
    {
        using var temp = new TempDirectory("me-cafile-out");
        var outside = temp.Path;
        File.WriteAllText(Path.Combine(outside, "ca.pem"), Certificate("CN=outside"));
        Assert.Contains("outside the plan's folder", Refusal(Plan(), Endpoint("../" + Path.GetFileName(outside) + "/ca.pem")), StringComparison.Ordinal);
        Assert.Contains("allowedRoots", Refusal(Plan(), Endpoint(Path.Combine(outside, "ca.pem"))), StringComparison.Ordinal);
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "link.pem"), Path.Combine(outside, "ca.pem"));
        Assert.Contains("symbolic link", Refusal(Plan(), Endpoint("link.pem")), StringComparison.Ordinal);
        Assert.NotNull(TrustedCaFile.Load(Plan() with { AllowedRoots = [outside] }, Endpoint(Path.Combine(outside, "ca.pem"))));
    }

    [Fact]
    public void Missing_special_large_and_certificate_less_files_are_one_coded_diagnostic_at_the_endpoints_line()
    {
        Assert.EndsWith("does not exist", Refusal(Plan(), Endpoint("missing.pem")), StringComparison.Ordinal);
        Assert.Contains("directory", Refusal(Plan(), Endpoint(".")), StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_temp.Path, "big.pem"), new string('x', (int)TrustedCaFile.MaxBytes + 1));
        Assert.Contains("larger than", Refusal(Plan(), Endpoint("big.pem")), StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_temp.Path, "key.pem"), "SECRET-CANARY\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Assert.Contains("no PEM certificate", Refusal(Plan(), Endpoint("key.pem")), StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_temp.Path, "broken.pem"), "-----BEGIN CERTIFICATE-----\nSECRET-CANARY\n-----END CERTIFICATE-----\n");
        Assert.DoesNotContain("SECRET-CANARY", Refusal(Plan(), Endpoint("broken.pem")), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            var fifo = Path.Combine(_temp.Path, "fifo.pem");
            Assert.Equal(0, Mono.Unix.Native.Syscall.mkfifo(fifo, Mono.Unix.Native.FilePermissions.S_IRUSR | Mono.Unix.Native.FilePermissions.S_IWUSR));
            Assert.Contains("named pipe", Refusal(Plan(), Endpoint("fifo.pem")), StringComparison.Ordinal);
            Assert.Contains("device", Refusal(Plan() with { AllowedRoots = ["/dev"] }, Endpoint("/dev/zero")), StringComparison.Ordinal);
        }
    }

    private string Refusal(PlanModel plan, EndpointDefinition endpoint)
    {
        var error = Assert.Throws<MigrationException>(() => TrustedCaFile.Load(plan, endpoint));
        Assert.Equal("MIG1302", error.Diagnostic.Code);
        Assert.Equal(endpoint.Location, error.Diagnostic.Location);
        Assert.DoesNotContain("SECRET-CANARY", error.Diagnostic.ToMsBuildString(), StringComparison.Ordinal);
        return error.Diagnostic.Message;
    }

    private PlanModel Plan() => new() { Name = "ca", PlanFile = Path.Combine(_temp.Path, "plan.yaml"), ContentHash = "0" };

    private EndpointDefinition Endpoint(string? caFile) => new()
    {
        Name = "dst",
        Role = EndpointRole.Target,
        Type = EndpointType.Imap,
        Location = new SourceLocation(Path.Combine(_temp.Path, "plan.yaml"), 12, 5),
        CaFile = caFile,
        CanonicalSettings = "{}",
    };

    private static string Certificate(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem() + "\n";
    }
}

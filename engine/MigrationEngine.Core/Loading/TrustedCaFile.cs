using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Core.Loading;

/// <summary>
/// The one home for an endpoint's trusted CA file (<c>caFile</c>): confined like every path a plan names
/// (<see cref="PlanPaths"/>: the plan's folder or spec.options.allowedRoots, links followed), a regular file of at most
/// 1 MB (<see cref="RegularFile"/>: no FIFO, device or /proc file), holding at least one PEM certificate. Adapters get
/// the certificates, never the path, so IMAP and Graph trust the same thing for the same reasons; <c>check</c> and
/// <c>validate --resolve</c> ask the same question. A problem is one MIG1302 naming the endpoint's line in the plan.
/// </summary>
public static class TrustedCaFile
{
    public const long MaxBytes = 1024 * 1024;

    public const string Hint = "caFile is the PEM certificate of the CA that signed the server's certificate; paths start at the plan's folder";

    /// <summary>The endpoint's trusted certificates, or null when it names no caFile; MIG1302 at the endpoint's line as a <see cref="MigrationException"/> when it cannot be used.</summary>
    public static X509Certificate2Collection? Load(PlanModel plan, EndpointDefinition endpoint) =>
        Problem(plan, endpoint, out var certificates) is { } problem
            ? throw new MigrationException(Diagnose.CaFileUnusable(endpoint.Location, Quote.Cell(endpoint.CaFile), endpoint.Name, problem, hint: Hint))
            : certificates;

    /// <summary>Why the endpoint's caFile cannot be used (null when it names none or it is fine); its certificates otherwise.</summary>
    public static string? Problem(PlanModel plan, EndpointDefinition endpoint, out X509Certificate2Collection? certificates)
    {
        certificates = null;
        if (string.IsNullOrEmpty(endpoint.CaFile))
        {
            return null;
        }

        if (plan.Paths.Check(endpoint.CaFile, out var fullPath) is { } outside)
        {
            return Because(outside);
        }

        if (!Path.Exists(fullPath))
        {
            return "does not exist";
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(RegularFile.ReadAllBytes(fullPath, MaxBytes));
        }
        catch (UnusableFileException ex)
        {
            return Because(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Because("it cannot be read (permissions?)");
        }

        var found = new X509Certificate2Collection();
        try
        {
            found.ImportFromPem(text);
        }
        catch (CryptographicException)
        {
            // The exception's text may quote the file; the reason is enough.
            return Because("a PEM certificate in it cannot be read");
        }

        if (found.Count == 0)
        {
            return Because("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }

        certificates = found;
        return null;
    }

    private static string Because(string reason) => "cannot be used: " + reason;
}

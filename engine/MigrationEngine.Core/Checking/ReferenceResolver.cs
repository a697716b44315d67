using System.Globalization;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Core.Checking;

/// <summary>
/// The offline half of <c>migrate check</c>, also run by <c>validate --resolve</c>: every secret the plan's migrations use
/// resolves (the variable is set, the file is there and readable), every caFile is a PEM certificate, every report
/// template exists and every file source's folder is there. A plan that passes it fails in apply only on the servers' answers.
/// Secret values are read to prove they can be, and dropped; a diagnostic names the reference, never the value.
/// </summary>
public static class ReferenceResolver
{
    /// <summary>Checks the plan's references. <paramref name="builtinTemplates"/>: the report templates the build ships (<c>builtin:...</c>).</summary>
    public static IReadOnlyList<Diagnostic> Resolve(PlanModel plan, IReadOnlyCollection<string> builtinTemplates)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var uses = new Dictionary<SecretReference, SecretUse>();
        var diagnostics = new List<Diagnostic>();
        var endpointsSeen = new HashSet<EndpointDefinition>(ReferenceEqualityComparer.Instance);
        var positions = new PlanPositions(plan);
        foreach (var migration in plan.Migrations)
        {
            foreach (var endpoint in EndpointsOf(plan, migration))
            {
                if (endpointsSeen.Add(endpoint))
                {
                    CollectEndpoint(endpoint, uses, positions);
                    CheckCaFile(plan, endpoint, positions, diagnostics);
                    CheckFileEndpoint(plan, migration, endpoint, positions, diagnostics);
                }
            }

            foreach (var mailbox in PlanCompiler.MailboxesOf(plan, migration))
            {
                Note(uses, mailbox.Password, $"mailbox {mailbox.SourceAddress}", mailbox.Location);
            }
        }

        foreach (var (reference, use) in uses)
        {
            if (ProblemOf(reference, plan.PlanDirectory) is { } found)
            {
                var problem = found.Replace(plan.PlanDirectory + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);
                var more = use.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (and {use.Count - 1:N0} more use(s) of it)") : "";
                diagnostics.Add(reference.Kind == SecretKind.Environment
                    ? Diagnose.SecretVariableUnset(use.First, reference.Display, use.Where, more,
                        hint: $"export {reference.Display[4..]}=... before running migrate, or point the reference at a file:")
                    : Diagnose.SecretFileUnusable(use.First, reference.Display, use.Where, problem, more,
                        hint: "create the file (mode 600) or fix the path; relative paths start at the plan's folder"));
            }
        }

        foreach (var report in plan.Reports)
        {
            CheckTemplate(plan, report, builtinTemplates, diagnostics);
        }

        return diagnostics.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column).ThenBy(d => d.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>The source and target of a migration, when the plan defines them (validation reports those it does not).</summary>
    internal static IEnumerable<EndpointDefinition> EndpointsOf(PlanModel plan, MigrationDefinition migration)
    {
        if (plan.Sources.TryGetValue(migration.From, out var source))
        {
            yield return source;
        }

        if (plan.Targets.TryGetValue(migration.To, out var target))
        {
            yield return target;
        }
    }

    private static void CollectEndpoint(EndpointDefinition endpoint, Dictionary<SecretReference, SecretUse> uses, PlanPositions positions)
    {
        var where = $"{(endpoint.Role == EndpointRole.Source ? "source" : "target")} '{endpoint.Name}'";
        void Add(SecretReference? reference, string key)
        {
            if (reference is not null)
            {
                Note(uses, reference, $"{where} {key}", positions.Of(endpoint, key));
            }
        }

        Add(endpoint.Auth?.Password, "auth.password");
        Add(endpoint.Auth?.AccessToken, "auth.accessToken");
        Add(endpoint.Auth?.ClientSecret, "auth.clientSecret");
        Add(endpoint.Auth?.KeyFile, "auth.keyFile");
        Add(endpoint.ClientSecret, "clientSecret");
        Add(endpoint.Certificate, "certificate");
        Add(endpoint.CertificatePassword, "certificatePassword");
        Add(endpoint.Credentials?.Password, "credentials.password");
        Add(endpoint.ExchangeEndpoint.ServiceAccountKey, "serviceAccountKey");
    }

    private static void Note(Dictionary<SecretReference, SecretUse> uses, SecretReference? reference, string where, SourceLocation location)
    {
        if (reference is null || reference.Kind == SecretKind.Literal)
        {
            return;
        }

        if (uses.TryGetValue(reference, out var use))
        {
            use.Count++;
        }
        else
        {
            uses[reference] = new SecretUse(where, location);
        }
    }

    /// <summary>Why the reference cannot be read, or null when it can.</summary>
    private static string? ProblemOf(SecretReference reference, string planDirectory)
    {
        try
        {
            reference.Resolve(planDirectory);
            return null;
        }
        catch (SecretUnavailableException ex)
        {
            // The message ends by naming the reference, which the diagnostic names already.
            var message = ex.Message;
            var cut = message.LastIndexOf(" (secret ", StringComparison.Ordinal);
            return cut > 0 ? message[..cut] : message;
        }
    }

    private static void CheckCaFile(PlanModel plan, EndpointDefinition endpoint, PlanPositions positions, List<Diagnostic> diagnostics)
    {
        if (endpoint.CaFile is not { } caFile)
        {
            return;
        }

        // The rules apply uses (TrustedCaFile): confined, a regular file of bounded size, at least one certificate.
        if (TrustedCaFile.Problem(plan, endpoint, out var certificates) is { } problem)
        {
            diagnostics.Add(Diagnose.CaFileUnusable(positions.Of(endpoint, "caFile"), Shown(plan, caFile), endpoint.Name, problem,
                hint: TrustedCaFile.Hint));
        }

        foreach (var certificate in certificates ?? [])
        {
            certificate.Dispose();
        }
    }

    /// <summary>A file source reads <c>path/&lt;address&gt;</c>: the folder itself must be there (a missing mailbox is check's business).</summary>
    private static void CheckFileEndpoint(PlanModel plan, MigrationDefinition migration, EndpointDefinition endpoint, PlanPositions positions, List<Diagnostic> diagnostics)
    {
        if (endpoint.Role != EndpointRole.Source || endpoint.Path is not { } path || PlanCompiler.IsExchangeNative(plan, migration))
        {
            return;
        }

        if (!Directory.Exists(path) && !File.Exists(path))
        {
            diagnostics.Add(Diagnose.FileEndpointMissing(positions.Of(endpoint, "path"),
                endpoint.Type.Yaml(), endpoint.Name, Shown(plan, path),
                    hint: "create the folder or fix the path; relative paths start at the plan's folder"));
        }
    }

    private static void CheckTemplate(PlanModel plan, ReportDefinition report, IReadOnlyCollection<string> builtinTemplates, List<Diagnostic> diagnostics)
    {
        const string builtin = "builtin:";
        var template = report.Template;
        if (template.StartsWith(builtin, StringComparison.Ordinal))
        {
            if (!builtinTemplates.Contains(template))
            {
                diagnostics.Add(Diagnose.ReportTemplateMissing(report.Location,
                    template, "is not a builtin template",
                        hint: Suggestions.DidYouMean(template, builtinTemplates) ?? "builtin templates: " + string.Join(", ", builtinTemplates)));
            }

            return;
        }

        var full = Path.IsPathRooted(template) ? template : Path.Combine(plan.PlanDirectory, template);
        if (!File.Exists(full))
        {
            var guess = Suggestions.DidYouMean(builtin + template, builtinTemplates)
                ?? Suggestions.DidYouMean(builtin + template + ".md", builtinTemplates);
            diagnostics.Add(Diagnose.ReportTemplateMissing(report.Location,
                template, "does not exist (relative paths start at the plan's folder)",
                    hint: guess ?? "a template is a file relative to the plan's folder, or one of " + string.Join(", ", builtinTemplates)));
        }
    }

    /// <summary>A path as the plan's reader knows it: relative to the plan's folder when it is under it.</summary>
    private static string Shown(PlanModel plan, string path)
    {
        var relative = Path.GetRelativePath(plan.PlanDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    private sealed class SecretUse(string where, SourceLocation first)
    {
        public string Where { get; } = where;
        public SourceLocation First { get; } = first;
        public int Count { get; set; } = 1;
    }
}

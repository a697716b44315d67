using MigrationEngine.Core.Binding;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Loading;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Validation;
using Newtonsoft.Json.Linq;

namespace MigrationEngine.Core.Tests.Binding;

/// <summary>
/// The Bind stage: every word the schema allows binds to its enum value and back (PlanVocabulary is the one table), an
/// unknown word is the schema's diagnostic at its line and binds to Unknown, and bound parts keep the positions of their nodes.
/// </summary>
[Trait("Category", "Unit")]
public sealed class PlanBinderTests
{
    private static readonly JObject Schema = JObject.Parse(PlanSchema.Json);

    private static List<string> SchemaEnum(string path) => Schema.SelectToken(path)!.Select(v => (string)v!).ToList();

    public static TheoryData<string, string[]> VocabulariesAndTheirSchemaEnums => new()
    {
        { "migration types", [.. SchemaEnum("definitions.migration.properties.type.enum")] },
        { "copy engines", [.. SchemaEnum("definitions.migration.properties.engine.enum")] },
        { "label copies", [.. SchemaEnum("definitions.migration.properties.labelCopies.enum")] },
        { "important", [.. SchemaEnum("definitions.migration.properties.gmail.properties.important.enum")] },
        { "item kinds", [.. SchemaEnum("definitions.migration.properties.items.items.enum")] },
        { "mailbox scopes", [.. SchemaEnum("definitions.migration.properties.exchange.properties.mailboxType.enum")] },
        { "when removed", [.. SchemaEnum("definitions.migration.properties.exchange.properties.whenRemoved.enum")] },
        { "mbox layouts", [.. SchemaEnum("definitions.mboxSource.properties.layout.enum")] },
        { "pst engines", [.. SchemaEnum("definitions.pstSource.properties.engine.enum")] },
        { "import modes", [.. SchemaEnum("definitions.graphTarget.properties.importMode.enum")] },
        { "presets", [.. SchemaEnum("definitions.imapEndpoint.properties.preset.enum")] },
        { "tls modes", [.. SchemaEnum("definitions.imapEndpoint.properties.tls.enum")] },
        { "clouds", [.. SchemaEnum("definitions.graphTarget.properties.cloud.enum")] },
        { "auth mechanisms", [.. SchemaEnum("definitions.auth.properties.mechanism.enum")] },
    };

    private static IReadOnlyList<string> Words(string vocabulary) => vocabulary switch
    {
        "migration types" => PlanVocabulary.MigrationTypes.Words,
        "copy engines" => PlanVocabulary.CopyEngines.Words,
        "label copies" => PlanVocabulary.LabelCopyModes.Words,
        "important" => PlanVocabulary.ImportantPlacements.Words,
        "item kinds" => PlanVocabulary.ItemKinds.Words,
        "mailbox scopes" => PlanVocabulary.MailboxScopes.Words,
        "when removed" => PlanVocabulary.RemovedBatchActions.Words,
        "mbox layouts" => PlanVocabulary.MboxLayouts.Words,
        "pst engines" => PlanVocabulary.PstEngines.Words,
        "import modes" => PlanVocabulary.ImportModes.Words,
        "presets" => PlanVocabulary.Presets.Words,
        "tls modes" => PlanVocabulary.TlsModes.Words,
        "clouds" => PlanVocabulary.Clouds.Words,
        "auth mechanisms" => PlanVocabulary.AuthMechanisms.Words,
        _ => throw new ArgumentOutOfRangeException(nameof(vocabulary), vocabulary, null),
    };

    [Theory]
    [MemberData(nameof(VocabulariesAndTheirSchemaEnums))]
    public void Each_vocabulary_spells_exactly_the_words_of_its_schema_enum(string vocabulary, string[] schemaWords)
    {
        Assert.Equal(schemaWords.Order(StringComparer.Ordinal), Words(vocabulary).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Endpoint_types_are_the_types_of_every_endpoint_definition_in_the_schema()
    {
        var schemaTypes = ((JObject)Schema["definitions"]!).Properties()
            .Select(p => p.Value.SelectToken("properties.type.enum"))
            .Where(e => e is not null && p(e))
            .SelectMany(e => e!.Select(v => (string)v!))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(schemaTypes.Order(StringComparer.Ordinal), PlanVocabulary.EndpointTypes.Words.Order(StringComparer.Ordinal));

        // The migration's own type enum is not an endpoint's.
        static bool p(JToken e) => e.Path != "definitions.migration.properties.type.enum";
    }

    [Fact]
    public void Every_enum_value_but_Unknown_has_a_word_that_parses_back_to_it()
    {
        AssertRoundTrip(PlanVocabulary.EndpointTypes, Enum.GetValues<EndpointType>().Where(t => t != EndpointType.Unknown));
        AssertRoundTrip(PlanVocabulary.MigrationTypes, Enum.GetValues<MigrationType>().Where(t => t != MigrationType.Unknown));
        AssertRoundTrip(PlanVocabulary.CopyEngines, Enum.GetValues<CopyEngine>());
        AssertRoundTrip(PlanVocabulary.MboxLayouts, Enum.GetValues<MboxLayout>());
        AssertRoundTrip(PlanVocabulary.PstEngines, Enum.GetValues<PstEngine>());
        AssertRoundTrip(PlanVocabulary.ImportModes, Enum.GetValues<ImportMode>());
        AssertRoundTrip(PlanVocabulary.Presets, Enum.GetValues<ImapPresetName>());
        AssertRoundTrip(PlanVocabulary.LabelCopyModes, Enum.GetValues<LabelCopyMode>());
        AssertRoundTrip(PlanVocabulary.ImportantPlacements, Enum.GetValues<ImportantPlacement>());
        AssertRoundTrip(PlanVocabulary.ItemKinds, Enum.GetValues<ItemKind>());
        AssertRoundTrip(PlanVocabulary.TlsModes, Enum.GetValues<TlsMode>().Where(t => t != TlsMode.Unknown));
        AssertRoundTrip(PlanVocabulary.Clouds, Enum.GetValues<MicrosoftCloud>().Where(c => c != MicrosoftCloud.Unknown));
        AssertRoundTrip(PlanVocabulary.AuthMechanisms, Enum.GetValues<AuthMechanism>().Where(m => m != AuthMechanism.Unknown));
        Assert.Equal("", EndpointType.Unknown.Yaml());
        Assert.Equal("ics-vcf", EndpointType.IcsVcf.Yaml());
    }

    private static void AssertRoundTrip<T>(Spellings<T> spellings, IEnumerable<T> values)
        where T : struct, Enum
    {
        foreach (var value in values)
        {
            var word = spellings.Of(value);
            Assert.False(string.IsNullOrEmpty(word), $"{typeof(T).Name}.{value} has no word");
            Assert.Equal(value, spellings.Parse(word));
        }

        // Words are the schema's, exactly: no case folding.
        Assert.Null(spellings.Parse(spellings.Words[0].ToUpperInvariant() + "x"));
    }

    public static TheoryData<string> EndpointTypeWords => new(PlanVocabulary.EndpointTypes.Words);

    [Theory]
    [MemberData(nameof(EndpointTypeWords))]
    public void Each_endpoint_type_word_binds_to_its_enum_value(string word)
    {
        var bound = Bind(Plan(sourceType: word, migrationType: "import"));

        Assert.Equal(PlanVocabulary.EndpointTypes.Parse(word), bound.Sources["old"].Definition.Type);
    }

    public static TheoryData<string> MigrationTypeWords => new(PlanVocabulary.MigrationTypes.Words);

    [Theory]
    [MemberData(nameof(MigrationTypeWords))]
    public void Each_migration_type_word_binds_to_its_enum_value(string word)
    {
        var bound = Bind(Plan(sourceType: "maildir", migrationType: word));

        Assert.Equal(PlanVocabulary.MigrationTypes.Parse(word), Assert.Single(bound.Migrations).Definition.Type);
    }

    [Fact]
    public void An_unknown_migration_type_is_the_schemas_diagnostic_at_its_line_and_binds_to_Unknown()
    {
        var text = Plan(sourceType: "maildir", migrationType: "imapp");

        var result = PlanPipeline.LoadText(text, "/plans/plan.yaml", "plan.yaml");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCatalog.NotInEnum.Code, error.Code);
        Assert.Equal(("plan.yaml", 20, 13), (error.File, error.Line, error.Column));
        Assert.Contains("imap", error.Hint ?? "", StringComparison.Ordinal);
        Assert.Null(result.Plan);
        Assert.Equal(MigrationType.Unknown, Assert.Single(Bind(text).Migrations).Definition.Type);
    }

    [Fact]
    public void An_unknown_endpoint_type_is_reported_at_its_line_and_binds_to_Unknown_without_a_second_diagnostic()
    {
        var text = Plan(sourceType: "mboxx", migrationType: "import");

        var result = PlanPipeline.LoadText(text, "/plans/plan.yaml", "plan.yaml");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(("plan.yaml", 8), (error.File, error.Line));
        Assert.Contains("mboxx", error.Message, StringComparison.Ordinal);
        Assert.Equal(EndpointType.Unknown, Bind(text).Sources["old"].Definition.Type);
    }

    [Theory]
    [InlineData("starttls", "usgovdod", "oauth2", TlsMode.StartTls, MicrosoftCloud.UsGovDod, AuthMechanism.OAuth2)]
    [InlineData("none", "china", "googleServiceAccount", TlsMode.None, MicrosoftCloud.China, AuthMechanism.GoogleServiceAccount)]
    [InlineData(null, null, null, null, null, AuthMechanism.Password)]
    [InlineData("ssl", "germany", "kerberos", TlsMode.Unknown, MicrosoftCloud.Unknown, AuthMechanism.Unknown)]
    public void Tls_cloud_and_auth_mechanism_bind_to_their_enums(string? tls, string? cloud, string? mechanism,
        TlsMode? expectedTls, MicrosoftCloud? expectedCloud, AuthMechanism expectedMechanism)
    {
        var text = $$"""
            apiVersion: migration-engine/v1
            kind: MigrationPlan
            metadata:
              name: bind-test
            spec:
              sources:
                old:
                  type: imap
                  host: imap.example.com
            {{(tls is null ? "" : $"      tls: {tls}\n")}}      auth:
                    username: admin
            {{(mechanism is null ? "" : $"        mechanism: {mechanism}\n")}}  targets:
                new:
                  type: graph
                  tenantId: t
                  clientId: c
                  clientSecret: env:SECRET
            {{(cloud is null ? "" : $"      cloud: {cloud}\n")}}  mailboxSets: {}
              migrations: []
            """;

        var bound = Bind(text);

        var source = bound.Sources["old"].Definition;
        Assert.Equal((expectedTls, expectedMechanism), (source.Tls, source.Auth!.Mechanism));
        Assert.Equal(expectedCloud, bound.Targets["new"].Definition.Cloud);
    }

    [Fact]
    public void Bound_parts_keep_the_positions_of_their_nodes_and_defaults_apply()
    {
        var bound = Bind(Plan(sourceType: "mbox", migrationType: "import"));

        var source = bound.Sources["old"];
        Assert.Equal(new SourceLocation("plan.yaml", 7, 5), source.Definition.Location);
        Assert.Equal(MboxLayout.Folders, source.Definition.Layout);
        var migration = Assert.Single(bound.Migrations);
        Assert.Equal(new SourceLocation("plan.yaml", 19, 13), migration.Definition.Location);
        Assert.Equal((CopyEngine.Engine, LabelCopyMode.Each), (migration.Definition.Engine, migration.Definition.LabelCopies));
        Assert.Same(source.Definition, migration.Source);
        Assert.Equal(new SourceLocation("plan.yaml", 17, 11), Assert.Single(bound.Sets["staff"].Entries).Location);
        Assert.Equal(new SourceLocation("plan.yaml", 15, 5), bound.Loc(bound.Sets["staff"].Key));
    }

    [Fact]
    public void Binding_reports_nothing_for_rules_it_leaves_to_validation()
    {
        // An unknown source is a reference rule's finding: Bind leaves the migration's source null and says nothing.
        var text = Plan(sourceType: "maildir", migrationType: "import").Replace("from: old", "from: nowhere", StringComparison.Ordinal);
        var diagnostics = new DiagnosticBag();

        var bound = PlanBinder.Bind(PlanLoader.Parse(PlanLoader.FromText(text, "/plans/plan.yaml", "plan.yaml"), diagnostics)!, "plan.yaml", "/plans/plan.yaml", diagnostics);

        Assert.Equal(0, diagnostics.Count);
        Assert.Null(Assert.Single(bound.Migrations).Source);
        PlanValidator.Validate(bound, diagnostics);
        Assert.Equal(DiagnosticCatalog.UnknownSource.Code, Assert.Single(diagnostics.ToSortedList()).Code);
    }

    private static BoundPlan Bind(string text)
    {
        var diagnostics = new DiagnosticBag();
        var root = PlanLoader.Parse(PlanLoader.FromText(text, "/plans/plan.yaml", "plan.yaml"), diagnostics)!;
        return PlanBinder.Bind(root, "plan.yaml", "/plans/plan.yaml", diagnostics);
    }

    private static string Plan(string sourceType, string migrationType) => $$"""
        apiVersion: migration-engine/v1
        kind: MigrationPlan
        metadata:
          name: bind-test
        spec:
          sources:
            old:
              type: {{sourceType}}
              path: src
          targets:
            new:
              type: maildir
              path: out
          mailboxSets:
            staff:
              mailboxes:
                - {source: alice@example.com, target: alice@example.com}
          migrations:
            - name: move
              type: {{migrationType}}
              from: old
              to: new
              mailboxSets: [staff]
        """;
}

namespace MigrationEngine.Core.Model;

// The plan's closed vocabularies (the schema's enums). Their YAML spellings live in one place, PlanVocabulary; the
// engine compares these values, never the words, so a misspelt comparison cannot compile.

/// <summary>A source's or target's <c>type</c>.</summary>
public enum EndpointType
{
    /// <summary>A value the schema refused; it only exists in a plan with errors, which yields no model.</summary>
    Unknown,
    Imap,
    Exchange,
    Gworkspace,
    Mbox,
    Maildir,
    Eml,
    Pst,
    IcsVcf,
    Dav,
    Graph,
}

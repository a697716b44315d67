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

/// <summary>A migration's <c>type</c>.</summary>
public enum MigrationType
{
    /// <summary>A value the schema refused; it only exists in a plan with errors, which yields no model.</summary>
    Unknown,
    Imap,
    Cutover,
    Staged,
    Hybrid,
    Gworkspace,
    Pst,
    Import,
}

/// <summary>A migration's <c>engine</c>: who copies the mail.</summary>
public enum CopyEngine
{
    /// <summary>This engine copies (the default).</summary>
    Engine,
    /// <summary>Exchange Online's migration service copies (imap migrations into a graph target).</summary>
    Exchange,
}

/// <summary>An mbox source's <c>layout</c>.</summary>
public enum MboxLayout
{
    /// <summary>One .mbox file per folder (the default).</summary>
    Folders,
    /// <summary>A Google Takeout export: labels give the folders; contacts and calendars lie beside it.</summary>
    Takeout,
}

/// <summary>A pst source's <c>engine</c>.</summary>
public enum PstEngine
{
    /// <summary>This engine reads the file with readpst (the default).</summary>
    Readpst,
    /// <summary>Microsoft's PST import service.</summary>
    ImportService,
}

/// <summary>A graph target's <c>importMode</c>.</summary>
public enum ImportMode
{
    /// <summary>Messages imported as MIME (the default).</summary>
    Mime,
    /// <summary>Messages created from JSON, attachments uploaded separately.</summary>
    Json,
}

/// <summary>An IMAP endpoint's <c>preset</c>.</summary>
public enum ImapPresetName
{
    Gmail,
    Office365,
    Exchange,
    Generic,
}

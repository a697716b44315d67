namespace MigrationEngine.Core.Model;

/// <summary>A graph target's <c>cloud</c>: which Microsoft cloud serves the tenant (Graph and Exchange Online alike).</summary>
public enum MicrosoftCloud
{
    /// <summary>A value the schema refused; it only exists in a plan with errors, which yields no model.</summary>
    Unknown,

    /// <summary>The global service; the plan's default.</summary>
    Global,

    /// <summary>US Government GCC High (L4).</summary>
    UsGov,

    /// <summary>US Government DoD (L5).</summary>
    UsGovDod,

    /// <summary>Microsoft Cloud China, operated by 21Vianet.</summary>
    China,
}

namespace MigrationEngine.Core.Execution;

/// <summary>
/// What a migration moves (the plan's <c>items:</c>, default <c>[mail]</c>). Contacts and calendar items travel as
/// their standard text (vCard, iCalendar) through <see cref="IPimSource"/> and <see cref="IPimTarget"/>; mail keeps its
/// own contracts (<see cref="IMailSource"/>, <see cref="IMailTarget"/>).
/// </summary>
public enum ItemKind
{
    Mail,
    Contacts,
    Calendar,
}

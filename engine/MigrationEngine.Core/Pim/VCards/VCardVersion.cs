namespace MigrationEngine.Core.Pim.VCards;

public enum VCardVersion
{
    V21,
    V3,
    V4,
}

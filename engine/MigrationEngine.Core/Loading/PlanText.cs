
namespace MigrationEngine.Core.Loading;

/// <summary>A plan file as read: its bytes (hashed for saved plans and the schema cache), its text, and how to name it.</summary>
public sealed record PlanText(string Text, byte[] Bytes, string Path, string Display);

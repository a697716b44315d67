
namespace MigrationEngine.Core.Model;

public enum AdminCredentialForm
{
    None,
    /// <summary><c>Domain/Admin/User</c>: Exchange admin credentials.</summary>
    ExchangeAdmin,
    /// <summary><c>user*admin</c>: Dovecot master user.</summary>
    MasterUser,
}

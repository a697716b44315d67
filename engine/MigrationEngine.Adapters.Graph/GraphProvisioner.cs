using System.Security.Cryptography;
using System.Text;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.AssignLicense;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// Finds and creates target users: POST /users with a random initial password (written only to the plan's
/// password file, mode 0600), assignLicense with SKUs resolved through subscribedSkus, then waits for the mailbox.
/// </summary>
public sealed class GraphProvisioner
{
    private static readonly SemaphoreSlim PasswordFileGate = new(1, 1);

    private readonly GraphConnection _connection;
    private readonly PlanModel _plan;

    internal GraphProvisioner(GraphConnection connection, PlanModel plan)
    {
        _connection = connection;
        _plan = plan;
    }

    /// <summary>Addresses (as given) for which the tenant has no user, checked 20 at a time.</summary>
    public async Task<IReadOnlyList<string>> FindMissingUsersAsync(IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        var location = _connection.Endpoint.Location;
        foreach (var chunk in addresses.Distinct(StringComparer.OrdinalIgnoreCase).Chunk(4))
        {
            var found = await Task.WhenAll(chunk.Select(a => GetUserAsync(_connection, a, location, cancellationToken)));
            missing.AddRange(chunk.Where((_, i) => found[i] is null));
        }

        return missing;
    }

    /// <summary>
    /// The user an address names. GET /users/{id | userPrincipalName} finds it by id or UPN only
    /// (https://learn.microsoft.com/graph/api/user-get); an address that is the user's mail or one of its proxy addresses
    /// but not its UPN is then looked up with List users and $filter (https://learn.microsoft.com/graph/api/user-list).
    /// </summary>
    internal static async Task<User?> GetUserAsync(GraphConnection connection, string address, SourceLocation location, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.Client.Users[address].GetAsync(r => r.QueryParameters.Select = ["id", "mail", "userPrincipalName"], cancellationToken);
        }
        catch (ODataError error) when (error.ResponseStatusCode == 404)
        {
            // Not an id or UPN: perhaps a mail or proxy address.
        }
        catch (Exception ex) when (ex is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            throw GraphErrors.ToMigrationException(connection, ex, "read users", address, "User.Read.All", location);
        }

        return address.Contains('@', StringComparison.Ordinal) ? await FindByMailAsync(connection, address, location, cancellationToken) : null;
    }

    /// <summary>
    /// proxyAddresses is multi-valued, so its filter needs the any() lambda ("the any operator is required for filter
    /// expressions on multi-valued properties", user resource type); its values carry the address type prefix (SMTP: for
    /// the primary address, smtp: for the others), compared without regard to case. The query joins two properties with
    /// or, which the directory answers as an advanced query: it is sent with the ConsistencyLevel: eventual header and
    /// $count=true (https://learn.microsoft.com/graph/aad-advanced-queries).
    /// </summary>
    private static async Task<User?> FindByMailAsync(GraphConnection connection, string address, SourceLocation location, CancellationToken cancellationToken)
    {
        var quoted = GraphTarget.ODataQuote(address);
        List<User> users;
        try
        {
            var page = await connection.Client.Users.GetAsync(r =>
            {
                r.QueryParameters.Filter = $"mail eq '{quoted}' or proxyAddresses/any(p:p eq 'smtp:{quoted}')";
                r.QueryParameters.Select = ["id", "mail", "userPrincipalName"];
                r.QueryParameters.Count = true;
                r.QueryParameters.Top = 2;
                r.Headers.Add("ConsistencyLevel", "eventual");
            }, cancellationToken);
            users = page?.Value ?? [];
        }
        catch (Exception ex) when (ex is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            throw GraphErrors.ToMigrationException(connection, ex, "look up users by mail and proxy address", address, "User.Read.All", location);
        }

        if (users.Count > 1)
        {
            throw new MigrationException(Diagnose.GraphAddressAmbiguous(location,
                address, users.Count, connection.TenantId, string.Join(", ", users.Select(u => u.UserPrincipalName)),
                    hint: "give the target as the user's userPrincipalName"));
        }

        return users.FirstOrDefault();
    }

    internal async Task<User> CreateUserAsync(MailboxEntry mailbox, ProvisionDefinition provision, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var address = mailbox.TargetAddress;
        if (string.IsNullOrEmpty(provision.PasswordFile))
        {
            throw new MigrationException(Diagnose.GraphSettingMissing(_connection.Endpoint.Location, _connection.Endpoint.Name, "provision.passwordFile",
                hint: "initial passwords are written only to that file"));
        }

        var skuIds = await ResolveLicensesAsync(provision.Licenses, address, mailbox.Location, cancellationToken);
        var local = address.Split('@')[0];
        var password = GeneratePassword();
        User created;
        try
        {
            created = await _connection.Client.Users.PostAsync(new User
            {
                AccountEnabled = true,
                DisplayName = local,
                MailNickname = MailNickname(local),
                UserPrincipalName = address,
                UsageLocation = provision.UsageLocation,
                PasswordProfile = new PasswordProfile
                {
                    Password = password,
                    ForceChangePasswordNextSignIn = mailbox.ForceChangePassword ?? true,
                },
            }, cancellationToken: cancellationToken) ?? throw new InvalidOperationException("user creation answered without a user");
        }
        catch (Exception ex) when (ex is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            throw Failure(ex, "create users", address, "User.ReadWrite.All", mailbox.Location);
        }

        await AppendPasswordAsync(provision.PasswordFile, address, password, cancellationToken);
        logger.Information("created user {Address} in tenant {Tenant}; initial password written to {PasswordFile}", address, _connection.TenantId, provision.PasswordFile);

        if (skuIds.Count > 0)
        {
            try
            {
                await _connection.Client.Users[created.Id].AssignLicense.PostAsync(new AssignLicensePostRequestBody
                {
                    AddLicenses = skuIds.Select(id => new AssignedLicense { SkuId = id, DisabledPlans = [] }).ToList(),
                    RemoveLicenses = [],
                }, cancellationToken: cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
            {
                throw Failure(ex, "assign licences", address, "LicenseAssignment.ReadWrite.All", mailbox.Location);
            }
        }

        return created;
    }

    /// <summary>
    /// Licenses a user that a migration service created (cutover, staged, Google Workspace): sets the usage location when the user has none
    /// (assignLicense refuses users without one), then assigns the plan's SKUs the user lacks (https://learn.microsoft.com/graph/api/user-assignlicense).
    /// Returns whether the user changed.
    /// </summary>
    internal async Task<bool> LicenseExistingAsync(MailboxEntry mailbox, ProvisionDefinition provision, CancellationToken cancellationToken, string? userId = null)
    {
        var address = mailbox.TargetAddress;
        User? user;
        try
        {
            user = await _connection.Client.Users[userId ?? address].GetAsync(r => r.QueryParameters.Select = ["id", "usageLocation", "assignedLicenses"], cancellationToken);
        }
        catch (ODataError error) when (error.ResponseStatusCode == 404)
        {
            throw new MigrationException(Diagnose.GraphProvisioningFailed(mailbox.Location,
                address, "the user does not exist yet, so it cannot be licensed",
                    hint: "run apply again once the migration batch has created the mailbox"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            throw Failure(ex, "read users", address, "User.Read.All", mailbox.Location);
        }

        var assigned = (user?.AssignedLicenses ?? []).Select(l => l.SkuId).OfType<Guid>().ToHashSet();
        var missing = (await ResolveLicensesAsync(provision.Licenses, address, mailbox.Location, cancellationToken, assigned)).Where(id => !assigned.Contains(id)).ToList();
        if (missing.Count == 0 || user?.Id is not { } id)
        {
            return false;
        }

        try
        {
            if (string.IsNullOrEmpty(user.UsageLocation))
            {
                if (provision.UsageLocation is null)
                {
                    throw new MigrationException(Diagnose.GraphSettingMissing(_connection.Endpoint.Location,
                        _connection.Endpoint.Name, "provision.usageLocation", hint: "licences can only be assigned to users with a usage location"));
                }

                await _connection.Client.Users[id].PatchAsync(new User { UsageLocation = provision.UsageLocation }, cancellationToken: cancellationToken);
            }

            await _connection.Client.Users[id].AssignLicense.PostAsync(new AssignLicensePostRequestBody
            {
                AddLicenses = missing.Select(sku => new AssignedLicense { SkuId = sku, DisabledPlans = [] }).ToList(),
                RemoveLicenses = [],
            }, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not (MigrationException or OperationCanceledException { CancellationToken.IsCancellationRequested: true }))
        {
            throw Failure(ex, "assign licences", address, "LicenseAssignment.ReadWrite.All", mailbox.Location);
        }

        return true;
    }

    /// <summary>A new mailbox appears minutes after licensing: poll the inbox with back-off, bounded.</summary>
    internal async Task WaitForMailboxAsync(string userId, string address, SourceLocation location, CancellationToken cancellationToken)
    {
        var options = _connection.Options;
        var started = DateTimeOffset.UtcNow;
        var delay = options.MailboxReadyFirstPoll;
        while (true)
        {
            try
            {
                await _connection.Client.Users[userId].MailFolders["inbox"].GetAsync(r => r.QueryParameters.Select = ["id"], cancellationToken);
                return;
            }
            catch (ODataError error) when (error.ResponseStatusCode == 404)
            {
                // Not there yet.
            }
            catch (Exception ex) when (ex is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
            {
                throw GraphErrors.ToMigrationException(_connection, ex, "read the mail folders", address, "Mail.ReadWrite", location);
            }

            var elapsed = DateTimeOffset.UtcNow - started;
            if (elapsed + delay > options.MailboxReadyTimeout)
            {
                throw new MigrationException(Diagnose.GraphMailboxNotReady(location, address, (int)options.MailboxReadyTimeout.TotalSeconds))
                {
                    Transient = true,
                };
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MailboxReadyMaxPoll.Ticks));
        }
    }

    /// <summary>The SKU ids of the part numbers; each needs a free unit unless the user has it already (<paramref name="assigned"/>).</summary>
    private async Task<List<Guid>> ResolveLicensesAsync(IReadOnlyList<string> partNumbers, string address, SourceLocation location, CancellationToken cancellationToken, IReadOnlySet<Guid>? assigned = null)
    {
        if (partNumbers.Count == 0)
        {
            return [];
        }

        SubscribedSkuCollectionResponse? skus;
        try
        {
            skus = await _connection.Client.SubscribedSkus.GetAsync(cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            throw Failure(ex, "read subscribed SKUs", address, "Organization.Read.All", location);
        }

        var list = skus?.Value ?? [];
        var ids = new List<Guid>();
        foreach (var partNumber in partNumbers)
        {
            var sku = list.FirstOrDefault(s => string.Equals(s.SkuPartNumber, partNumber, StringComparison.OrdinalIgnoreCase));
            if (sku?.SkuId is not { } skuId)
            {
                var known = string.Join(", ", list.Select(s => s.SkuPartNumber).Where(p => p is not null).Order(StringComparer.Ordinal));
                throw new MigrationException(Diagnose.GraphLicenseUnavailable(location,
                    address, $"the tenant has no subscription with SKU part number '{partNumber}'",
                        hint: $"the tenant has: {(known.Length == 0 ? "no subscriptions" : known)}"));
            }

            var free = (sku.PrepaidUnits?.Enabled ?? 0) - (sku.ConsumedUnits ?? 0);
            if (free <= 0 && assigned?.Contains(skuId) != true)
            {
                throw new MigrationException(Diagnose.GraphLicenseUnavailable(location,
                    address, $"all {sku.PrepaidUnits?.Enabled ?? 0} licences of {partNumber} are in use",
                        hint: "buy more licences or free some, then run again"));
            }

            ids.Add(skuId);
        }

        return ids;
    }

    private MigrationException Failure(Exception ex, string operation, string address, string permission, SourceLocation location)
    {
        if (GraphErrors.StatusOf(ex) is 400 or 409)
        {
            return new MigrationException(Diagnose.GraphProvisioningFailed(location, address, GraphErrors.Describe(ex)));
        }

        return GraphErrors.ToMigrationException(_connection, ex, operation, address, permission, location);
    }

    private async Task AppendPasswordAsync(string passwordFile, string address, string password, CancellationToken cancellationToken)
    {
        var path = Path.IsPathRooted(passwordFile) ? passwordFile : Path.Combine(_plan.PlanDirectory, passwordFile);
        await PasswordFileGate.WaitAsync(cancellationToken);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var stream = new FileStream(path, options))
            await using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                await writer.WriteAsync($"{address},{password}\n".AsMemory(), cancellationToken);
            }

            if (!OperatingSystem.IsWindows())
            {
                // Also tightens a file that existed with wider permissions.
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(Diagnose.GraphProvisioningFailed(_connection.Endpoint.Location, address,
                $"the user was created but its initial password cannot be written to {path}: {ex.Message}; reset the password in the admin centre"));
        }
        finally
        {
            PasswordFileGate.Release();
        }
    }

    private static string MailNickname(string local)
    {
        var builder = new StringBuilder(local.Length);
        foreach (var ch in local)
        {
            if (char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_')
            {
                builder.Append(ch);
            }
        }

        return builder.Length == 0 ? "user" + RandomNumberGenerator.GetHexString(6, lowercase: true) : builder.ToString();
    }

    /// <summary>20 characters from all four classes Entra ID's complexity rule counts.</summary>
    internal static string GeneratePassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        const string lower = "abcdefghijkmnopqrstuvwxyz";
        const string digits = "23456789";
        const string symbols = "!#$%&*+-=?@^_";
        const string all = upper + lower + digits + symbols;
        var chars = new char[20];
        chars[0] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[1] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        chars[3] = symbols[RandomNumberGenerator.GetInt32(symbols.Length)];
        for (var i = 4; i < chars.Length; i++)
        {
            chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }

        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}

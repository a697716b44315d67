using System.Diagnostics;
using MigrationEngine.TestSupport;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MigrationEngine.Adapters.Imap.Tests;

[CollectionDefinition(Name)]
public sealed class DovecotCollection : ICollectionFixture<DovecotFixture>
{
    public const string Name = "dovecot";
}

/// <summary>
/// A private Dovecot (foreground child process) on free 127.0.0.1 ports: plain IMAP (STARTTLS offered, plaintext login
/// allowed) and implicit TLS with a certificate from a CA made here. Users live in a passwd-file that tests extend;
/// "admin" is a master user (login "user*admin"). Stopped by its own pid; the temporary folder is removed.
/// </summary>
public sealed class DovecotFixture : IDisposable
{
    public const string DovecotBinary = "/usr/sbin/dovecot";
    public const string MasterUser = "admin";
    public const string MasterPassword = "master-S3cret!";

    private readonly ServerProcess _server;
    private readonly object _usersGate = new();
    private int _userCounter;

    public DovecotFixture()
    {
        if (OperatingSystem.IsWindows() || !File.Exists(DovecotBinary))
        {
            throw new InvalidOperationException($"{DovecotBinary} is missing: install the Debian package dovecot-imapd to run the IMAP adapter tests");
        }

        Root = Directory.CreateTempSubdirectory("imap-dovecot-").FullName;
        // Dovecot's auth and mail processes run as the dovecot user and must reach the files.
        File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var mail = Directory.CreateDirectory(Path.Combine(Root, "mail")).FullName;
        File.SetUnixFileMode(mail, (UnixFileMode)0x1FF);
        Directory.CreateDirectory(Path.Combine(Root, "run"));
        Directory.CreateDirectory(Path.Combine(Root, "state"));

        MakeCertificates();
        // Users are made up front: Dovecot re-reads a changed passwd-file only when its mtime (seconds) moves on.
        File.WriteAllText(UsersFile, string.Concat(Enumerable.Range(1, UserPool).Select(i => $"user{i}@example.test:{{PLAIN}}{PasswordOf(i)}\n")));
        File.WriteAllText(Path.Combine(Root, "masters"), $"{MasterUser}:{{PLAIN}}{MasterPassword}\n");
        PlainPort = FreePorts.Next();
        TlsPort = FreePorts.Next();
        File.WriteAllText(ConfigFile, Config());

        _server = ServerProcess.Start("dovecot", new ProcessStartInfo(DovecotBinary, ["-F", "-c", ConfigFile])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }, PlainPort, TimeSpan.FromSeconds(20), exited => exited.StandardError.ReadToEnd() + " " + (File.Exists(LogFile) ? File.ReadAllText(LogFile) : string.Empty), Root);
        _server.AwaitPort(TlsPort, TimeSpan.FromSeconds(20));
    }

    public string Root { get; }
    public string Host => "127.0.0.1";
    public int PlainPort { get; }
    public int TlsPort { get; }
    public string CaFile => Path.Combine(Root, "ca.pem");
    public string LogFile => Path.Combine(Root, "dovecot.log");
    private string UsersFile => Path.Combine(Root, "users");
    private string ConfigFile => Path.Combine(Root, "dovecot.conf");

    /// <summary>A fresh mailbox for one test; its password is in an environment variable named by <c>PasswordVariable</c>.</summary>
    public TestUser NewUser(string purpose = "")
    {
        lock (_usersGate)
        {
            var number = ++_userCounter;
            if (number > UserPool)
            {
                throw new InvalidOperationException($"the fixture has {UserPool} users; raise UserPool for {purpose}");
            }

            var variable = $"IMAP_TEST_PW_USER{number}";
            Environment.SetEnvironmentVariable(variable, PasswordOf(number));
            return new TestUser($"user{number}@example.test", PasswordOf(number), variable);
        }
    }

    // The workers tests alone take 96 (24 + 8 + 16 pairs).
    private const int UserPool = 320;

    private readonly string _passwordSalt = Guid.NewGuid().ToString("N")[..12];

    private string PasswordOf(int number) => $"pw{number}-{_passwordSalt}";

    private string Config() => $$"""
        base_dir = {{Root}}/run
        state_dir = {{Root}}/state
        log_path = {{LogFile}}
        protocols = imap
        listen = 127.0.0.1
        first_valid_uid = 1
        first_valid_gid = 1
        ssl = yes
        ssl_cert = <{{Root}}/server.pem
        ssl_key = <{{Root}}/server.key
        disable_plaintext_auth = no
        auth_mechanisms = plain login
        auth_master_user_separator = *
        auth_failure_delay = 0
        default_internal_user = dovecot
        default_login_user = dovenull
        passdb {
          driver = passwd-file
          args = {{Root}}/masters
          master = yes
          pass = yes
        }
        passdb {
          driver = passwd-file
          args = {{UsersFile}}
        }
        userdb {
          driver = static
          args = uid=dovecot gid=dovecot home={{Root}}/mail/%u
        }
        mail_location = maildir:~/Maildir
        # METADATA (RFC 5464) for the targets' owner markers: entries kept in a file in each user's home.
        mail_attribute_dict = file:%h/dovecot-attributes
        mail_plugins =
        # Test data is disposable: skip fsync so seeding thousands of messages stays fast.
        mail_fsync = never
        namespace inbox {
          inbox = yes
          separator = /
          mailbox Sent {
            special_use = \Sent
          }
          mailbox Drafts {
            special_use = \Drafts
          }
          mailbox Trash {
            special_use = \Trash
          }
          mailbox Junk {
            special_use = \Junk
          }
          mailbox Archive {
            special_use = \Archive
          }
          # Gmail's IMAP view (GmailShapedMailbox): its special folders carry the attributes Gmail gives them.
          mailbox "[Gmail]/All Mail" {
            special_use = \All
          }
          mailbox "[Gmail]/Starred" {
            special_use = \Flagged
          }
          mailbox "[Gmail]/Important" {
            special_use = \Important
          }
          mailbox "[Gmail]/Sent Mail" {
            special_use = \Sent
          }
          mailbox "[Gmail]/Drafts" {
            special_use = \Drafts
          }
          mailbox "[Gmail]/Spam" {
            special_use = \Junk
          }
          mailbox "[Gmail]/Trash" {
            special_use = \Trash
          }
        }
        service imap-login {
          chroot =
          inet_listener imap {
            port = {{PlainPort}}
          }
          inet_listener imaps {
            port = {{TlsPort}}
            ssl = yes
          }
        }
        service anvil {
          chroot =
        }
        protocol imap {
          mail_max_userip_connections = 50
          imap_metadata = yes
        }
        """;

    private void MakeCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=MigrationEngine Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        using var ca = caRequest.CreateSelfSigned(notBefore, notBefore.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var server = serverRequest.Create(ca, notBefore, notBefore.AddDays(29), RandomNumberGenerator.GetBytes(12));

        File.WriteAllText(CaFile, ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(Root, "server.pem"), server.ExportCertificatePem() + "\n" + ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(Root, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose() => _server.Dispose();
}

public sealed record TestUser(string Address, string Password, string PasswordVariable)
{
    public string SecretReference => "env:" + PasswordVariable;
}

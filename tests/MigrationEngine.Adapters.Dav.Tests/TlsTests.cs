using MigrationEngine.Core.Execution;
using MigrationEngine.Core.Model;

namespace MigrationEngine.Adapters.Dav.Tests;

/// <summary>Radicale over TLS with a certificate from a private CA: trusted through caFile only.</summary>
[Collection(RadicaleCollection.Name)]
[Trait("Category", "Server")]
public sealed class TlsTests(RadicaleFixture radicale)
{
    [Fact]
    public async Task TheEndpointsCaFileMakesThePrivateCertificateTrusted()
    {
        var user = radicale.NewUser();
        var endpoint = DavTestPlans.Endpoint(EndpointRole.Target, radicale.TlsUrl, "{mailbox}", user.SecretReference, caFile: radicale.CaFile);
        await using var target = await new DavTargetFactory().OpenAsync(DavTestPlans.Context(endpoint, user.Address), CancellationToken.None);

        var collection = await target.EnsureCollectionAsync(new PimCollection(ItemKind.Contacts, PimCollection.DefaultPath), CancellationToken.None);
        var item = DavSource.ToItem(ItemKind.Contacts, new DavObject(new Uri(radicale.TlsUrl + "x.vcf"), null, Samples.Contact("tls-1", "Tia Secure", "tia@example.test"), 200));
        var written = await target.WriteAsync(collection, item, null, CancellationToken.None);

        Assert.False(written.Rejected, written.RejectionReason);
        Assert.StartsWith(radicale.TlsUrl, written.TargetId, StringComparison.Ordinal);
        Assert.Equal("tls-1", Assert.Single(await target.ListItemsAsync(collection, CancellationToken.None)).Key);
    }

    [Fact]
    public async Task WithoutTheCaFileTheCertificateIsRefusedAndNotRetried()
    {
        var user = radicale.NewUser();
        var endpoint = DavTestPlans.Endpoint(EndpointRole.Source, radicale.TlsUrl);
        var context = DavTestPlans.Context(endpoint, user.Address, user.SecretReference);

        var failure = await Assert.ThrowsAsync<MigrationException>(() => new DavSourceFactory().OpenAsync(context, CancellationToken.None));

        Assert.Equal("MIG1671", failure.Diagnostic.Code);
        Assert.False(failure.Transient);
        Assert.Contains("the server certificate is not trusted", failure.Diagnostic.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(user.Password, failure.ToString(), StringComparison.Ordinal);
    }
}

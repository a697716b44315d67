namespace MigrationEngine.Adapters.Exchange.Tests;

/// <summary>
/// Which source folder names a batch's -IncludeFolders/-ExcludeFolders write as New-MigrationBatch well-known folder tokens: the
/// mail roles come from Core's one list of special-folder names (so "Bin" and "Draft" are what they are for every source), the
/// item folders and Gmail's All Mail from the adapter's own table; any other name is a personal folder, passed as written.
/// </summary>
[Trait("Category", "Unit")]
public sealed class WellKnownFolderTokenTests
{
    [Theory]
    [InlineData("INBOX", "#Inbox#")]
    [InlineData("Sent", "#SentItems#")]
    [InlineData("Sent Items", "#SentItems#")]
    [InlineData("Sent Messages", "#SentItems#")]
    [InlineData("sent mail", "#SentItems#")]
    [InlineData("Drafts", "#Drafts#")]
    [InlineData("Draft", "#Drafts#")]
    [InlineData("Trash", "#DeletedItems#")]
    [InlineData("Deleted Items", "#DeletedItems#")]
    [InlineData("Deleted Messages", "#DeletedItems#")]
    [InlineData("Bin", "#DeletedItems#")]
    [InlineData("Junk", "#JunkEmail#")]
    [InlineData("Junk E-mail", "#JunkEmail#")]
    [InlineData("Junk Email", "#JunkEmail#")]
    [InlineData("Spam", "#JunkEmail#")]
    [InlineData("Bulk Mail", "#JunkEmail#")]
    [InlineData("Archive", "#Archive#")]
    [InlineData("Archives", "#Archive#")]
    [InlineData("Calendar", "#Calendar#")]
    [InlineData("Contacts", "#Contacts#")]
    [InlineData("Tasks", "#Tasks#")]
    [InlineData("Journal", "#Journal#")]
    [InlineData("Outbox", "#Outbox#")]
    [InlineData("Notes", "#Notes#")]
    [InlineData("All Mail", "#AllItems#")]
    [InlineData("[Gmail]/All Mail", "#AllItems#")]
    public void A_well_known_name_becomes_its_token(string name, string token) =>
        Assert.Equal(token, ExchangePlanBuilder.WellKnownToken(name));

    [Theory]
    [InlineData("Receipts")]
    [InlineData("Projects/2024")]
    [InlineData("INBOX/Sent")]
    [InlineData("Conversation History")]
    [InlineData("Sync Issues")]
    public void Any_other_name_is_a_personal_folder(string name) => Assert.Null(ExchangePlanBuilder.WellKnownToken(name));
}

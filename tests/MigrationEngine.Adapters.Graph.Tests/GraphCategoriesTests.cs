using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>Gmail labels with <c>labelCopies: categories</c> arrive as the message's Exchange categories, in both import modes.</summary>
[Trait("Category", "Server")]
public sealed class GraphCategoriesTests
{
    private const string Mailbox = "gina@contoso.example";

    [Theory]
    [InlineData("mime")]
    [InlineData("json")]
    public async Task Categories_of_the_summary_become_the_message_categories(string importMode)
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox, importMode: importMode);
        var folder = await target.EnsureFolderAsync("[Gmail]/All Mail", SpecialUse.Archive, default);
        var labelled = TestMail.Build("labelled");
        var plain = TestMail.Build("plain");
        var content = TestMail.Content(labelled, "1");

        var results = await target.AppendAsync(folder, [
            new MessageContent(content.Summary with { Categories = ["Work", "Work/Projects", "Très urgent"] }, content.Content, content.Length),
            TestMail.Content(plain, "2"),
        ], default);

        var stored = bed.Emulator.MessagesIn(Mailbox, "archive");
        var first = stored.Single(m => m.Id == results[0].TargetId);
        Assert.Equal(["Work", "Work/Projects", "Très urgent"], first.Properties["categories"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Null(stored.Single(m => m.Id == results[1].TargetId).Properties["categories"]);
        if (importMode == "mime")
        {
            Assert.Equal(labelled, first.Mime);
        }
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MigrationEngine.Core.Execution;

namespace MigrationEngine.Adapters.Graph.Tests;

/// <summary>
/// The json-mode create body is plain, strict JSON: each property once, no property sent as null. The SDK's backing store
/// writes a property assigned null as an explicit null, in some processes twice; the emulator's strict reader then
/// failed every json-mode test of that process (issue 16).
/// </summary>
[Trait("Category", "Server")]
public sealed class GraphRequestBodyTests
{
    private const string Mailbox = "jane@contoso.example";

    [Fact]
    public async Task JsonModeBodiesNameEachPropertyOnceAndNeverNull()
    {
        await using var bed = await GraphTestBed.StartAsync();
        bed.Emulator.AddUser(Mailbox);
        await using var target = await bed.OpenAsync(Mailbox, importMode: "json");
        var folder = await target.EnsureFolderAsync("INBOX", SpecialUse.Inbox, default);
        // No categories, a sender without a display name, an attachment without a Content-ID.
        var bytes = TestMail.Build("plain json", attachmentBytes: 1_000, from: "nobody@source.example");

        await target.AppendAsync(folder, [TestMail.Content(bytes, "1")], default);

        var body = Assert.Single(bed.Emulator.CreateBodies);
        var parsed = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false })!;
        Assert.Empty(NullProperties(parsed, "$"));
        Assert.Null(parsed["categories"]);
    }

    [Fact]
    public async Task EmulatorRefusesABodyNamingAPropertyTwiceAsGraphDoes()
    {
        await using var bed = await GraphTestBed.StartAsync();
        var user = bed.Emulator.AddUser(Mailbox);
        using var client = await bed.Emulator.RawClientAsync();

        using var content = new StringContent("""{"subject":"a","categories":null,"categories":null}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/v1.0/users/{user.Id}/mailFolders/inbox/messages", content);

        Assert.Equal(400, (int)response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("BadRequest", error["code"]!.GetValue<string>());
        Assert.Equal(0, bed.Emulator.MessageCount(Mailbox));
    }

    private static IEnumerable<string> NullProperties(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (value is null)
                    {
                        yield return path + "." + name;
                    }

                    foreach (var inner in NullProperties(value, path + "." + name))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var inner in NullProperties(array[i], $"{path}[{i}]"))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}

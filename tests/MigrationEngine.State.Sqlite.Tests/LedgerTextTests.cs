using static MigrationEngine.State.Sqlite.Tests.TempStateFolder;

namespace MigrationEngine.State.Sqlite.Tests;

/// <summary>
/// A ledger batch goes to SQLite as one JSON text (SqliteStateStore.Ledger.cs): every text must come back exactly as a
/// bound parameter would have stored it, whatever a hostile message put in its Message-ID or a folder name holds.
/// </summary>
[Trait("Category", "Unit")]
public sealed class LedgerTextTests : IDisposable
{
    private readonly TempStateFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Texts_that_json_escapes_come_back_unchanged()
    {
        await using var store = await _folder.OpenAsync();
        var batch = new[]
        {
            Entry("1", folder: "Projekte/Überprüfung \"alt\" \\ 2024") with { MessageId = "<a\tb\u0001c\u001f@例え.jp>", DedupKey = "key \"quoted\" \\ back\nslash" },
            Entry("2", folder: "📁 Archiv/日本語") with { MessageId = null, Sha256 = null, TargetId = null, TargetFolder = "📁 Archiv/日本語" },
            Entry("3") with { MessageId = "</script><!-- & ' \u2028 \u2029 \u00a0 \ufeff>", SourceId = "9007199254740993", Size = long.MaxValue, FolderValidity = uint.MaxValue },
        };

        await store.RecordMessagesAsync("plan", batch, CancellationToken.None);

        var stored = await store.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", CancellationToken.None);
        Assert.Equal(batch, stored);
    }

    [Fact]
    public async Task A_batch_with_a_nul_or_a_lone_surrogate_is_stored_as_one_row_inserts_store_it()
    {
        await using var store = await _folder.OpenAsync();
        var withNul = Entry("1") with { MessageId = "<before\0after@example.test>" };
        var loneSurrogate = Entry("2") with { DedupKey = "key-\ud800-end" };
        var plain = Entry("3");

        await store.RecordMessagesAsync("plan", [withNul, loneSurrogate, plain], CancellationToken.None);

        var stored = await store.GetLedgerEntriesAsync("plan", "mail", "ann@example.test", CancellationToken.None);
        Assert.Equal(
            [withNul, loneSurrogate with { DedupKey = "key-\ufffd-end" }, plain],
            stored);
    }

    // Built in code and checked in one test: an attribute argument, and theory data that xunit serialises to list the
    // cases, are stored as UTF-8, which turns a lone surrogate into U+FFFD before the test runs.
    private static readonly (string Text, bool Safe)[] Texts =
    [
        ("plain ascii", true),
        ("Überprüfung 日本語", true),
        ("emoji " + char.ConvertFromUtf32(0x1F4C1) + " pair", true),
        ("tab\tand\u0001control", true),
        ("nul\0inside", false),
        ("lone high " + (char)0xD800, false),
        ("lone low " + (char)0xDC00 + " first", false),
        (char.ConvertFromUtf32(0x1F4C1) + (char)0xD800, false),
        ("reversed " + (char)0xDC00 + (char)0xD800, false),
    ];

    [Fact]
    public void Json_safety_of_a_text()
    {
        foreach (var (text, safe) in Texts)
        {
            Assert.True(safe == SqliteStateStore.IsJsonSafe(text), $"IsJsonSafe should be {safe} for {string.Join(' ', text.Select(c => ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)))}");
        }
    }

    [Fact]
    public void A_batch_with_an_unsafe_text_has_no_json()
    {
        Assert.NotNull(SqliteStateStore.LedgerRowsJson([Entry("1"), Entry("2")], "2026-01-01T00:00:00.0000000Z"));
        Assert.Null(SqliteStateStore.LedgerRowsJson([Entry("1"), Entry("2") with { TargetId = "x\ud800" }], "2026-01-01T00:00:00.0000000Z"));
    }
}

using System.Text;
using MigrationEngine.Core.Execution;
using MimeKit;

namespace MigrationEngine.Adapters.Imap.Tests;

[Trait("Category", "Unit")]
public sealed class HeaderFieldReaderTests
{
    [Theory]
    [InlineData("From: A <a@x>\r\nSubject: s\r\nMessage-ID: <m@x>\r\nDate: Mon, 3 Mar 2025 10:00:00 +0100\r\n\r\nbody")]
    [InlineData("To: b@x\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\n\tfolded\nMessage-ID: <lf@x>\n\nbody")]
    [InlineData("X-Other: 1\r\n  continued\r\nmessage-id: <first@x>\r\nMessage-ID: <second@x>\r\n\r\n")]
    [InlineData("\r\nbody only")]
    public void Plain_header_sections_give_the_fields_a_full_parse_gives(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);

        Assert.True(HeaderFieldReader.TryRead(bytes, out var picked));

        using var stream = new MemoryStream(bytes);
        var full = HeaderList.Load(stream);
        Assert.Equal(ImapSource.KeyOf(full), ImapSource.KeyOf(picked));
        Assert.Equal(full[HeaderId.MessageId], picked[HeaderId.MessageId]);
        Assert.Equal(full[HeaderId.Subject], picked[HeaderId.Subject]);
        Assert.True(picked.Count <= 4);
    }

    [Theory]
    [InlineData("Message-ID: <m@x>\r\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\r\nFrom: A <a@x>\r\n\r\n")]
    [InlineData("Message-ID:  \r\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\r\nDate: Mon, 3 Mar 2025 10:00:00 +0100\r\n\r\n")]
    [InlineData("Message-ID: <>\r\nFrom: A <a@x>\r\n\r\n")]
    [InlineData("Subject: only a subject\r\n\r\n")]
    [InlineData("Message-ID: <<twice@x>>\r\n\r\n")]
    public void The_key_decodes_date_from_and_subject_only_without_a_message_id_and_equals_the_key_of_all_four(string message)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(message));
        var headers = HeaderList.Load(stream);

        var expected = DedupKeys.Compute(headers[HeaderId.MessageId], headers[HeaderId.Date], headers[HeaderId.From], headers[HeaderId.Subject]);
        Assert.Equal(expected, ImapSource.KeyOf(headers));
    }

    [Theory]
    [InlineData("From: A <a@x>\r\nno colon here\r\nSubject: s\r\n\r\nbody")]
    [InlineData("From someone@x Mon Mar  3 10:00:00 2025\r\nSubject: s\r\n\r\nbody")]
    [InlineData("Subject : s\r\n\r\nbody")]
    [InlineData(" continued first\r\nSubject: s\r\n\r\nbody")]
    [InlineData("Subject: a\rb\r\n\r\nbody")]
    [InlineData("Subject: headers that never end\r\n")]
    public void Other_header_sections_are_left_to_the_server(string message)
    {
        Assert.False(HeaderFieldReader.TryRead(Encoding.UTF8.GetBytes(message), out _));
    }
}

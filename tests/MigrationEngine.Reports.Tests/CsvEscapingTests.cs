namespace MigrationEngine.Reports.Tests;

/// <summary>CSV report cells a spreadsheet would run as formulas (OWASP "CSV injection") are written as text.</summary>
[Trait("Category", "Unit")]
public sealed class CsvEscapingTests
{
    [Theory]
    [InlineData("=cmd|' /C calc'!A0@x.com", "'=cmd|' /C calc'!A0@x.com")]
    [InlineData("+1@x.com", "'+1@x.com")]
    [InlineData("-2@x.com", "'-2@x.com")]
    [InlineData("@SUM(A1)@x.com", "'@SUM(A1)@x.com")]
    [InlineData("=1,2", "\"'=1,2\"")]
    [InlineData("alice@x.com", "alice@x.com")]
    public void Formula_leading_text_gets_an_apostrophe(string value, string expected) =>
        Assert.Equal(expected, TemplateSandbox.CsvField(value));

    [Fact]
    public void Numbers_are_written_as_they_are() => Assert.Equal("-3", TemplateSandbox.CsvField(-3));
}

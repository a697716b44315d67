namespace MigrationEngine.Adapters.Dav.Tests;

/// <summary>What the Radicale tests put in a source user's collections before a copy.</summary>
public static class DavSeed
{
    /// <summary>Two contacts in the default address book, three events (recurring with an override, all-day, a meeting) and a task.</summary>
    public static async Task StandardAsync(RadicaleFixture radicale, DavUser user)
    {
        using var raw = new RawDav(radicale, user);
        Assert.Equal(201, await raw.MakeAddressbookAsync("contacts", "Contacts"));
        Assert.Equal(201, await raw.MakeCalendarAsync("calendar", "Calendar", "VEVENT,VTODO"));
        Assert.Equal(201, await raw.PutAsync(raw.Home + "contacts/ann.vcf", Samples.Contact("ann-1", "Ann Example", "ann@example.test")));
        Assert.Equal(201, await raw.PutAsync(raw.Home + "contacts/bob.vcf", Samples.Contact("bob-2", "Bob Example", "bob@example.test")));
        Assert.Equal(201, await raw.PutAsync(raw.Home + "calendar/standup.ics", Samples.RecurringWithOverride()));
        Assert.Equal(201, await raw.PutAsync(raw.Home + "calendar/holiday.ics", Samples.AllDay()));
        Assert.Equal(201, await raw.PutAsync(raw.Home + "calendar/meeting.ics", Samples.Meeting()));
        Assert.Equal(201, await raw.PutAsync(raw.Home + "calendar/task.ics", Samples.Task("task-9")));
    }
}

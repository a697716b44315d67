using System.Globalization;
using System.Text;
using MigrationEngine.Core.Compilation;
using MigrationEngine.Core.Diagnostics;
using MigrationEngine.Core.Model;
using MigrationEngine.Core.Secrets;

namespace MigrationEngine.Adapters.Exchange;

/// <summary>
/// <c>migrate export powershell</c>: the plan's Exchange-native migrations as a standalone PowerShell script doing the same steps as
/// apply. Each step is guarded by a Get- check, so the script can run any number of times; secrets are read from the plan's env:
/// variables and files when it runs, never written into it.
/// </summary>
public static class PowerShellScriptExporter
{
    /// <summary>The script, or null with diagnostics when the plan has nothing to export or cannot be expressed.</summary>
    public static string? Export(PlanModel plan, ExchangeExecutorOptions options, List<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var migrations = PlanCompiler.OrderByDependencies(plan.Migrations)
            .Where(m => PlanCompiler.IsExchangeNative(plan, m) && m.Type != MigrationType.Pst)
            .ToList();
        if (migrations.Count == 0)
        {
            diagnostics.Add(Diagnose.ExchangeUnsupported(SourceLocation.None(plan.PlanFile),
                plan.Name, "plan", "the plan has no Exchange-native migration to export",
                    hint: "only cutover, staged, hybrid and imap with engine: exchange run in Exchange Online's migration service"));
            return null;
        }

        var errors = diagnostics.Count(d => d.IsError);
        var states = new List<(MigrationDefinition Migration, ExchangeDesiredState State)>();
        foreach (var migration in migrations)
        {
            if (ExchangePlanBuilder.Build(plan, migration, options, diagnostics) is { } state)
            {
                states.Add((migration, state));
            }
        }

        var connections = states.Select(s => s.State.Connection).Distinct().ToList();
        if (connections.Count > 1)
        {
            diagnostics.Add(Diagnose.ExchangeUnsupported(SourceLocation.None(plan.PlanFile), plan.Name, "plan", "the migrations target different tenants or applications",
                hint: "export one tenant per plan"));
        }

        foreach (var literal in states.SelectMany(s => Secrets(s.State)).Where(s => s.Kind == SecretKind.Literal).Take(1))
        {
            diagnostics.Add(Diagnose.ExchangeUnsupported(SourceLocation.None(plan.PlanFile), plan.Name, "plan",
                "the plan has literal secrets, which an exported script would have to contain", hint: "use env:NAME or file:PATH references"));
        }

        if (diagnostics.Count(d => d.IsError) > errors)
        {
            return null;
        }

        var script = new Script();
        script.Header(plan);
        script.Connect(connections[0]);
        script.Line("try {");
        foreach (var (migration, state) in states)
        {
            script.Migration(migration, state);
        }

        script.Line("}");
        script.Line("finally {");
        script.Line("    Disconnect-ExchangeOnline -Confirm:$false");
        script.Line("}");
        return script.ToString();
    }

    private static IEnumerable<SecretReference> Secrets(ExchangeDesiredState state)
    {
        foreach (var setting in state.Endpoint.Settings.Concat(state.Batches.SelectMany(b => b.Settings)))
        {
            if (setting.Value is PsCredential credential)
            {
                yield return credential.Password;
            }
            else if (setting.Value is PsSecureSecret secret)
            {
                yield return secret.Secret;
            }
            else if (setting.Value is PsSecretBytes bytes)
            {
                yield return bytes.Secret;
            }
        }

        foreach (var cell in state.Batches.Where(b => b.Csv is not null).SelectMany(b => b.Csv!.Rows.SelectMany(r => r)))
        {
            if (cell.Secret is not null)
            {
                yield return cell.Secret;
            }
        }

        foreach (var secret in new[] { state.Connection.ClientSecret, state.Connection.CertificatePassword, state.Connection.CertificateBase64 })
        {
            if (secret is not null)
            {
                yield return secret;
            }
        }
    }

    private sealed class Script
    {
        private readonly StringBuilder _text = new();

        public void Line(string line = "") => _text.Append(line).Append('\n');

        public override string ToString() => _text.ToString();

        public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

        private static string Expression(PsValue value) => value switch
        {
            PsText text => Quote(text.Value),
            PsInt number => number.Value.ToString(CultureInfo.InvariantCulture),
            PsSwitch flag => flag.Value ? "$true" : "$false",
            PsDate date => $"([datetimeoffset]::Parse({Quote(date.Value.ToString("O", CultureInfo.InvariantCulture))}, [cultureinfo]::InvariantCulture).UtcDateTime)",
            PsList list => "@(" + string.Join(", ", list.Values.Select(Quote)) + ")",
            PsCredential credential => $"(New-MigrateCredential {Quote(credential.UserName)} {Quote(credential.Password.Display)})",
            PsSecureSecret secret => $"(ConvertTo-MigrateSecureString (Read-MigrateSecret {Quote(secret.Secret.Display)}))",
            PsSecretBytes bytes => $"([System.Text.Encoding]::UTF8.GetBytes((Read-MigrateSecret {Quote(bytes.Secret.Display)})))",
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };

        private static string Arguments(IEnumerable<PsSetting> settings) => string.Join(' ', settings.Select(s => s.Value is PsSwitch flag
            ? (flag.Value ? $"-{s.Parameter}" : $"-{s.Parameter}:$false")
            : $"-{s.Parameter} {Expression(s.Value)}"));

        public void Header(PlanModel plan)
        {
            Line("#Requires -Version 7.0");
            Line($"# Exchange Online migration steps of plan '{plan.Name}' ({Path.GetFileName(plan.PlanFile)}, content hash {plan.ContentHash[..Math.Min(12, plan.ContentHash.Length)]}).");
            Line("# Written by 'migrate export powershell'. Every step checks first, so the script can run again safely.");
            Line("# Secrets are read when it runs, from the same environment variables and files the plan names.");
            Line("[CmdletBinding()]");
            Line("param()");
            Line("Set-StrictMode -Version 3");
            Line("$ErrorActionPreference = 'Stop'");
            Line($"$PlanDirectory = {Quote(plan.PlanDirectory)}");
            Line("if ($env:MIGRATE_EXO_MODULE_PATH) { $env:PSModulePath = $env:MIGRATE_EXO_MODULE_PATH + [System.IO.Path]::PathSeparator + $env:PSModulePath }");
            Line();
            Line("function Read-MigrateSecret([string]$Reference) {");
            Line("    if ($Reference.StartsWith('env:')) {");
            Line("        $value = [System.Environment]::GetEnvironmentVariable($Reference.Substring(4))");
            Line("        if ($null -eq $value) { throw \"environment variable $($Reference.Substring(4)) is not set (secret $Reference)\" }");
            Line("        return $value");
            Line("    }");
            Line("    $path = $Reference.Substring(5)");
            Line("    if (-not [System.IO.Path]::IsPathRooted($path)) { $path = Join-Path $PlanDirectory $path }");
            Line("    if (-not (Test-Path -LiteralPath $path)) { throw \"secret file $path does not exist (secret $Reference)\" }");
            Line("    return ([System.IO.File]::ReadAllText($path)).TrimEnd(\"`r\", \"`n\")");
            Line("}");
            Line();
            Line("function ConvertTo-MigrateSecureString([string]$Value) { [System.Net.NetworkCredential]::new('', $Value).SecurePassword }");
            Line();
            Line("function New-MigrateCredential([string]$UserName, [string]$Reference) {");
            Line("    [System.Management.Automation.PSCredential]::new($UserName, (ConvertTo-MigrateSecureString (Read-MigrateSecret $Reference)))");
            Line("}");
            Line();
            Line("# The object, or $null when Exchange Online says it does not exist.");
            Line("function Get-MigrateObject([scriptblock]$Query) {");
            Line("    try { & $Query }");
            Line("    catch {");
            Line("        if ($_.CategoryInfo.Category -eq 'ObjectNotFound' -or $_.FullyQualifiedErrorId -like '*ManagementObjectNotFoundException*' -or \"$_\" -match \"couldn't (be found|find)\") { return $null }");
            Line("        throw");
            Line("    }");
            Line("}");
            Line();
            Line("# Values as text that compares the same whatever type Exchange Online returns.");
            Line("function Format-MigrateValue($Value) {");
            Line("    if ($null -eq $Value) { return '' }");
            Line("    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ') }");
            Line("    if ($Value -is [string]) {");
            Line("        $date = [datetimeoffset]::MinValue");
            Line("        if ($Value.Length -ge 10 -and [char]::IsDigit($Value[0]) -and [datetimeoffset]::TryParse($Value, [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AssumeUniversal, [ref]$date)) { return $date.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ssZ') }");
            Line("        return $Value");
            Line("    }");
            Line("    if ($Value -is [System.Collections.IEnumerable]) { return ((@($Value) | ForEach-Object { (Format-MigrateValue $_).Trim().ToLowerInvariant() } | Where-Object { $_ } | Sort-Object -CaseSensitive) -join ',') }");
            Line("    return [string]$Value");
            Line("}");
            Line();
            Line("# A migration CSV in a file only this user can read, deleted right after it was handed over.");
            Line("function Invoke-WithMigrateCsv([string[]]$Header, [object[]]$Rows, [scriptblock]$Action) {");
            Line("    $quote = { param($v) if ($v -match '[,\"\\r\\n]') { '\"' + ($v -replace '\"', '\"\"') + '\"' } else { $v } }");
            Line("    $lines = @(($Header | ForEach-Object { & $quote $_ }) -join ',')");
            Line("    foreach ($row in $Rows) { $lines += (@($row) | ForEach-Object { & $quote ([string]$_) }) -join ',' }");
            Line("    $path = [System.IO.Path]::GetTempFileName()");
            Line("    try {");
            Line("        [System.IO.File]::WriteAllText($path, (($lines -join \"`r`n\") + \"`r`n\"), [System.Text.UTF8Encoding]::new($false))");
            Line("        & $Action ([System.IO.File]::ReadAllBytes($path))");
            Line("    }");
            Line("    finally { Remove-Item -LiteralPath $path -Force -ErrorAction SilentlyContinue }");
            Line("}");
            Line();
        }

        public void Connect(ConnectionSpec connection)
        {
            Line("Import-Module ExchangeOnlineManagement");
            var arguments = new StringBuilder($"-AppId {Quote(connection.AppId)}");
            if (connection.CertificateFile is { } file)
            {
                arguments.Append($" -CertificateFilePath {Quote(file)}");
                if (connection.CertificatePassword is { } password)
                {
                    arguments.Append($" -CertificatePassword (ConvertTo-MigrateSecureString (Read-MigrateSecret {Quote(password.Display)}))");
                }
            }
            else if (connection.CertificateBase64 is { } base64)
            {
                var password = connection.CertificatePassword is { } p ? $"(Read-MigrateSecret {Quote(p.Display)})" : "$null";
                arguments.Append($" -Certificate ([System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12([System.Convert]::FromBase64String((Read-MigrateSecret {Quote(base64.Display)}).Trim()), {password}))");
            }
            else
            {
                var (cloudAuthority, scope) = ExchangeConnection.CloudHosts(connection.Cloud);
                var authority = connection.AuthorityHost ?? cloudAuthority;
                Line("# The client secret is exchanged for a token (a certificate is the recommended credential).");
                Line($"$token = (Invoke-RestMethod -Method Post -Uri ({Quote(authority.TrimEnd('/') + "/")} + {Quote(Uri.EscapeDataString(connection.TenantId) + "/oauth2/v2.0/token")}) -Body @{{ client_id = {Quote(connection.AppId)}; client_secret = (Read-MigrateSecret {Quote(connection.ClientSecret!.Display)}); scope = {Quote(scope)}; grant_type = 'client_credentials' }}).access_token");
                arguments.Append(" -AccessToken $token");
            }

            arguments.Append($" -Organization {Quote(connection.Organization)}");
            if (ExchangeConnection.EnvironmentName(connection.Cloud) is { } environment)
            {
                arguments.Append($" -ExchangeEnvironmentName {Quote(environment)}");
            }

            Line($"Connect-ExchangeOnline {arguments} -ShowBanner:$false");
            Line();
        }

        public void Migration(MigrationDefinition migration, ExchangeDesiredState state)
        {
            var endpoint = state.Endpoint;
            Line($"    # ---- migration {migration.Name} ({migration.Type.Yaml()}) ----");
            Line($"    # ensure-endpoint/{migration.Name}");
            Line($"    $endpoint = Get-MigrateObject {{ Get-MigrationEndpoint -Identity {Quote(endpoint.Name)} -ErrorAction Stop }}");
            Line("    if (-not $endpoint) {");
            Line($"        $test = Test-MigrationServerAvailability -{endpoint.KindSwitch} {Arguments(endpoint.TestParameters)}");
            Line($"        if ($test -and $test.Result -ne 'Success') {{ throw \"Test-MigrationServerAvailability for {endpoint.Name.Replace("\"", "`\"", StringComparison.Ordinal)}: $($test.Result) $($test.Message)\" }}");
            Line($"        New-MigrationEndpoint -{endpoint.KindSwitch} -Name {Quote(endpoint.Name)} {Arguments(endpoint.Settings)} | Out-Null");
            Line($"        Write-Host \"Created migration endpoint {Escape(endpoint.Name)}\"");
            Line("    }");
            Line("    else {");
            Changes("        ", "$endpoint", endpoint.Settings, $"Set-MigrationEndpoint -Identity {Quote(endpoint.Name)}", $"migration endpoint {endpoint.Name}");
            Line("    }");
            foreach (var batch in state.Batches)
            {
                Batch(migration, batch, endpoint.NeedsSkippedItemApproval);
            }

            Line();
        }

        private static string Escape(string text) => text.Replace("`", "``", StringComparison.Ordinal).Replace("\"", "`\"", StringComparison.Ordinal).Replace("$", "`$", StringComparison.Ordinal);

        private void Changes(string indent, string variable, IReadOnlyList<PsSetting> settings, string setCommand, string what)
        {
            Line($"{indent}$changes = @{{}}");
            foreach (var setting in settings.Where(s => s.Expected is not null))
            {
                var compare = $"(Format-MigrateValue {variable}.{setting.Property}) -ne {Quote(setting.Expected!)}";
                if (setting.Settable)
                {
                    Line($"{indent}if ({compare}) {{ $changes[{Quote(setting.Parameter)}] = {Expression(setting.Value)} }}");
                }
                else
                {
                    Line($"{indent}if ({compare}) {{ Write-Error \"{Escape(what)} already exists with {setting.Parameter} = '$(Format-MigrateValue {variable}.{setting.Property})'; the plan asks for '{Escape(setting.Expected!)}', which cannot change on an existing object\" }}");
                }
            }

            Line($"{indent}if ($changes.Count -gt 0) {{ {setCommand} @changes; Write-Host \"Updated {Escape(what)}: $($changes.Keys -join ', ')\" }}");
        }

        private void Batch(MigrationDefinition migration, BatchSpec batch, bool approvals)
        {
            var name = Quote(batch.Name);
            Line($"    # ensure-batch/{migration.Name}{batch.StepSuffix}");
            Line($"    $batch = Get-MigrateObject {{ Get-MigrationBatch -Identity {name} -ErrorAction Stop }}");
            Line("    if (-not $batch) {");
            var create = $"New-MigrationBatch -Name {name} {Arguments(batch.Settings)}{(batch.AutoStart ? " -AutoStart" : string.Empty)}";
            if (batch.Csv is { } csv)
            {
                Line($"        $rows = @(");
                foreach (var row in csv.Rows)
                {
                    Line("            , @(" + string.Join(", ", row.Select(c => c.Secret is null ? Quote(c.Text) : $"(Read-MigrateSecret {Quote(c.Secret.Display)})")) + ")");
                }

                Line("        )");
                Line($"        Invoke-WithMigrateCsv @({string.Join(", ", csv.Header.Select(Quote))}) $rows {{ param($csvData) {create} -CSVData $csvData | Out-Null }}");
            }
            else
            {
                Line($"        {create} | Out-Null");
            }

            Line($"        Write-Host \"Created migration batch {Escape(batch.Name)}\"");
            Line("    }");
            Line("    else {");
            Changes("        ", "$batch", batch.Settings, $"Set-MigrationBatch -Identity {name}", $"migration batch {batch.Name}");
            if (batch.Csv is { } existingCsv)
            {
                Line($"        $present = @(Get-MigrationUser -BatchId {name} -ResultSize Unlimited | ForEach-Object {{ ([string]$_.Identity).ToLowerInvariant() }})");
                Line("        $rows = @(");
                for (var index = 0; index < existingCsv.Rows.Count; index++)
                {
                    var row = existingCsv.Rows[index];
                    Line($"            , @({Quote(batch.Users[index])}, @(" + string.Join(", ", row.Select(c => c.Secret is null ? Quote(c.Text) : $"(Read-MigrateSecret {Quote(c.Secret.Display)})")) + "))");
                }

                Line("        )");
                Line("        $missing = @($rows | Where-Object { $present -notcontains $_[0] } | ForEach-Object { , $_[1] })");
                Line($"        if ($missing.Count -gt 0) {{ Invoke-WithMigrateCsv @({string.Join(", ", existingCsv.Header.Select(Quote))}) $missing {{ param($csvData) Set-MigrationBatch -Identity {name} -CSVData $csvData -AddUsers }}; Write-Host \"Added $($missing.Count) user(s) to {Escape(batch.Name)}\" }}");
            }

            Line("    }");
            Line($"    # start-batch/{migration.Name}{batch.StepSuffix}");
            Line($"    $batch = Get-MigrationBatch -Identity {name}");
            Line($"    if ($batch.Status -in 'Created', 'Stopped') {{ Start-MigrationBatch -Identity {name}; Write-Host \"Started migration batch {Escape(batch.Name)}\" }}");
            Line("    else {");
            Line($"        foreach ($user in @(Get-MigrationUser -BatchId {name} -ResultSize Unlimited | Where-Object {{ [string]$_.Status -in {string.Join(", ", MigrationStatuses.RetriedUserStatuses.Select(Quote))} }})) {{ Start-MigrationUser -Identity $user.Identity; Write-Host \"Retrying $($user.Identity)\" }}");
            Line("    }");
            Line($"    # complete-batch/{migration.Name}{batch.StepSuffix}");
            if (batch.Complete || batch.CompleteAfter is not null)
            {
                // Read the status first: approvals are looked at once the batch is synced, and a batch completes only when none is pending.
                Line($"    $batch = Get-MigrationBatch -Identity {name}");
                Line("    $pending = @()");
                if (approvals)
                {
                    ApproveSkippedItems(migration, name);
                }
            }

            if (batch.Complete)
            {
                Line($"    if ($pending.Count -gt 0) {{ Write-Warning \"Migration batch {Escape(batch.Name)} waits for skipped-item approval: $($pending -join ', ')\" }}");
                Line($"    elseif ($batch.Status -in 'Synced', 'SyncedWithErrors') {{ Complete-MigrationBatch -Identity {name} -Confirm:$false; Write-Host \"Completing migration batch {Escape(batch.Name)}\" }}");
                if (migration.Exchange.RemoveWhenCompleted)
                {
                    Line($"    elseif ($batch.Status -eq 'Completed') {{ Remove-MigrationBatch -Identity {name} -Confirm:$false; Write-Host \"Removed completed migration batch {Escape(batch.Name)}\" }}");
                }

                Line($"    elseif ($batch.Status -notin 'Completing', 'Completed', 'CompletedWithErrors') {{ Write-Host \"Migration batch {Escape(batch.Name)} is $($batch.Status): run this script again after its initial sync to complete it\" }}");
            }
            else if (batch.CompleteAfter is { } after)
            {
                Line($"    # Exchange Online completes the batch on its own after {Comparable.Date(after)} (CompleteAfter).");
            }
            else
            {
                Line("    # The plan leaves the batch synced (complete: false).");
            }
        }

        /// <summary>
        /// The plan's exchange.skippedItemApprovals, applied as apply does: users graded Investigate whose skipped items an entry covers are
        /// approved (Set-MigrationUser -ApproveSkippedItems); the others are listed in $pending and the batch is not completed.
        /// </summary>
        private void ApproveSkippedItems(MigrationDefinition migration, string name)
        {
            var entries = migration.Exchange.SkippedItemApprovals.GroupBy(a => a.Mailbox.ToLowerInvariant()).Select(g => $"{Quote(g.Key)} = {g.Max(a => a.MaxSkippedItems)}");
            Line($"    $approvals = @{{ {string.Join("; ", entries)} }}");
            Line($"    if ($batch.Status -in 'Synced', 'SyncedWithErrors', 'Completing') {{");
            Line($"    foreach ($user in @(Get-MigrationUser -BatchId {name} -ResultSize Unlimited | Where-Object {{ [string]$_.DataConsistencyScore -in 'Investigate', 'Poor' }})) {{");
            Line("        $stats = Get-MigrationUserStatistics -Identity $user.Identity");
            Line("        if ($stats.SkippedItemApprovalTime) { continue }");
            Line("        $id = ([string]$user.Identity).ToLowerInvariant(); $count = [int]$stats.SkippedItemCount");
            Line("        $covered = [string]$user.DataConsistencyScore -eq 'Investigate' -and (($approvals.ContainsKey($id) -and $count -le $approvals[$id]) -or ($approvals.ContainsKey('*') -and $count -le $approvals['*']))");
            Line("        if ($covered) { Set-MigrationUser -Identity $user.Identity -ApproveSkippedItems; Write-Host \"Approved $count skipped item(s) of $id as the plan records\" }");
            Line("        else { $pending += \"$id ($($user.DataConsistencyScore), $count skipped)\" }");
            Line("    }");
            Line("    }");
        }
    }
}

# Stub of ExchangeOnlineManagement for tests. The cmdlets' parameter sets (FrontEnds.ps1) are generated from the syntax blocks of
# Microsoft's reference pages, so PowerShell's own binder accepts and refuses calls as the real module does; this file is the
# service behind them, written from the same pages (cited where a rule comes from). State lives in the JSON file named by
# $env:EXO_STUB_STATE so that the executor's runspace, an exported script and the test see the same tenant. Every call is logged.
Set-StrictMode -Version 3

. (Join-Path $PSScriptRoot 'FrontEnds.ps1')

# Get-MigrationUser / Get-MigrationBatch -ResultSize: "The default value is 1000."
# https://learn.microsoft.com/powershell/module/exchangepowershell/get-migrationuser
$script:DefaultResultSize = 1000

# Well-known folder tokens of -IncludeFolders/-ExcludeFolders ("#<FolderName>#/*").
# https://learn.microsoft.com/powershell/module/exchangepowershell/new-migrationbatch
$script:WellKnownFolders = @('Root', 'Inbox', 'SentItems', 'Outbox', 'DeletedItems', 'Calendar', 'Contacts', 'Drafts', 'Journal', 'Tasks', 'Notes', 'AllItems', 'JunkEmail', 'Archive')

# DCS grades that block completion of remote move and Google Workspace batches until skipped items are approved.
# https://learn.microsoft.com/exchange/mailbox-migration/track-prevent-data-loss-dcs
$script:ApprovalTypes = @('ExchangeRemoteMove', 'Gmail')

# The bound parameters as a hashtable (case-insensitive keys; a missing key reads as $null under strict mode).
function ConvertTo-StubBound($Bound) {
    $table = @{}
    foreach ($key in $Bound.Keys) { $table[$key] = $Bound[$key] }
    return $table
}

function Read-StubState {
    $path = $env:EXO_STUB_STATE
    if (-not $path) { throw 'EXO_STUB_STATE is not set' }
    if (Test-Path -LiteralPath $path) {
        $state = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json -AsHashtable
    } else {
        $state = @{}
    }
    foreach ($key in 'Endpoints', 'Batches', 'Users', 'Dcs', 'Outcomes') { if (-not $state.ContainsKey($key)) { $state[$key] = @{} } }
    foreach ($key in 'Calls', 'FailOnce', 'CutoverMailboxes', 'Unreachable', 'Frozen') { if (-not $state.ContainsKey($key)) { $state[$key] = @() } }
    if (-not $state.ContainsKey('Connected')) { $state.Connected = $false }
    if (-not $state.ContainsKey('Clock')) { $state.Clock = 0 }
    return $state
}

function Write-StubState($State) {
    $State | ConvertTo-Json -Depth 12 | Set-Content -LiteralPath $env:EXO_STUB_STATE -Encoding utf8
}

function Add-StubCall($State, [string]$Command, $Bound, [string]$SetName) {
    $State.Calls += , @{ Command = $Command; Parameters = @($Bound.Keys | Sort-Object); ParameterSet = $SetName }
}

function Open-Stub([string]$Command, $Bound, [string]$SetName, [switch]$NoConnection) {
    $state = Read-StubState
    Add-StubCall $state $Command $Bound $SetName
    if (-not $NoConnection -and -not $state.Connected) {
        Write-StubState $state
        throw [System.InvalidOperationException]::new('You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets.')
    }
    $state.Clock = [int]$state.Clock + 1
    return $state
}

function Stop-Stub($State, [string]$Message) {
    Write-StubState $State
    throw $Message
}

function Write-NotFound([string]$Message) {
    Write-Error -Message $Message -Category ObjectNotFound -ErrorId 'ManagementObjectNotFoundException'
}

function Get-StubDate($Value) {
    if ($null -eq $Value) { return $null }
    return ([datetime]$Value).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
}

function Get-StubResultSize($Bound) {
    if (-not $Bound.ContainsKey('ResultSize')) { return $script:DefaultResultSize }
    $value = "$($Bound['ResultSize'])"
    if ($value -eq 'Unlimited') { return [int]::MaxValue }
    $number = 0
    if (-not [int]::TryParse($value, [ref]$number) -or $number -lt 1) { throw "Cannot bind parameter 'ResultSize'. Cannot convert value `"$value`" to type `"Microsoft.Exchange.Data.Unlimited`"." }
    return $number
}

function Assert-StubUnlimited([string]$Name, $Value) {
    if ($null -eq $Value) { return }
    $number = 0
    if ("$Value" -ne 'Unlimited' -and -not ([int]::TryParse("$Value", [ref]$number) -and $number -ge 1)) {
        throw "Cannot bind parameter '$Name'. Cannot convert value `"$Value`" to type `"Microsoft.Exchange.Data.Unlimited`"."
    }
}

function Invoke-StubConnectExchangeOnline($SetName, $Bound) {
    $state = Open-Stub 'Connect-ExchangeOnline' $Bound $SetName -NoConnection
    if (-not $Bound['Organization']) { Stop-Stub $state 'The Organization parameter is required for app-only authentication.' }
    if ($Bound['CertificateFilePath'] -and -not (Test-Path -LiteralPath $Bound['CertificateFilePath'])) { Stop-Stub $state "Could not find certificate file '$($Bound['CertificateFilePath'])'." }
    if (-not $Bound['CertificateFilePath'] -and -not $Bound['Certificate'] -and -not $Bound['AccessToken']) { Stop-Stub $state 'Specify a certificate or an access token for app-only authentication.' }
    $state.Connected = $true
    $state.Organization = $Bound['Organization']
    $state.Environment = $(if ($Bound.ContainsKey('ExchangeEnvironmentName')) { $Bound['ExchangeEnvironmentName'] } else { 'O365Default' })
    $state.SkipLoadingFormatData = [bool]$Bound['SkipLoadingFormatData']
    Write-StubState $state
}

function Invoke-StubDisconnectExchangeOnline($SetName, $Bound) {
    $state = Open-Stub 'Disconnect-ExchangeOnline' $Bound $SetName -NoConnection
    $state.Connected = $false
    Write-StubState $state
}

function Get-StubEndpointType($Bound) {
    if ($Bound['Imap'] -or $Bound['IMAP']) { return 'IMAP' }
    if ($Bound['Gmail']) { return 'Gmail' }
    if ($Bound['ExchangeRemoteMove']) { return 'ExchangeRemoteMove' }
    if ($Bound['ExchangeOutlookAnywhere']) { return 'ExchangeOutlookAnywhere' }
    throw 'Parameter set cannot be resolved using the specified named parameters. One or more parameters issued cannot be used together or an insufficient number of parameters were provided.'
}

# The JSON key of a Google service account, as Google issues it (the New-MigrationEndpoint -Gmail reference takes its bytes).
function Assert-StubServiceAccountKey([byte[]]$Bytes) {
    try { $key = [System.Text.Encoding]::UTF8.GetString($Bytes) | ConvertFrom-Json -AsHashtable }
    catch { throw 'The service account key file is not valid JSON.' }
    if ($key['type'] -ne 'service_account' -or -not $key['private_key'] -or -not $key['client_email']) { throw 'The service account key file must be the JSON key of a Google service account.' }
}

function Invoke-StubTestMigrationServerAvailability($SetName, $Bound) {
    $state = Open-Stub 'Test-MigrationServerAvailability' $Bound $SetName
    Write-StubState $state
    if ($SetName -eq 'Gmail') { Assert-StubServiceAccountKey $Bound['ServiceAccountKeyFileData'] }
    $server = @($Bound['RemoteServer'], $Bound['ExchangeServer'], $Bound['RPCProxyServer']) | Where-Object { $_ } | Select-Object -First 1
    if ($server -and $state.Unreachable -contains $server) {
        return [pscustomobject]@{ Result = 'Failed'; Message = "The connection to the server '$server' could not be completed." }
    }
    return [pscustomobject]@{ Result = 'Success'; Message = '' }
}

function ConvertTo-StubEndpoint($Endpoint) {
    $object = [pscustomobject]$Endpoint
    $object.PSObject.TypeNames.Insert(0, 'Microsoft.Exchange.Migration.MigrationEndpoint')
    return $object
}

function Invoke-StubGetMigrationEndpoint($SetName, $Bound) {
    $state = Open-Stub 'Get-MigrationEndpoint' $Bound $SetName
    Write-StubState $state
    $identity = $Bound['Identity']
    if (-not $identity) { return @($state.Endpoints.Values | ForEach-Object { ConvertTo-StubEndpoint $_ }) }
    if (-not $state.Endpoints.ContainsKey($identity)) { Write-NotFound "The migration endpoint `"$identity`" couldn't be found."; return }
    ConvertTo-StubEndpoint $state.Endpoints[$identity]
}

function Invoke-StubNewMigrationEndpoint($SetName, $Bound) {
    $state = Open-Stub 'New-MigrationEndpoint' $Bound $SetName
    Write-StubState $state
    $name = $Bound['Name']
    if ($state.Endpoints.ContainsKey($name)) { throw "The migration endpoint '$name' already exists. Specify a different name." }
    $type = Get-StubEndpointType $Bound
    Assert-StubUnlimited 'MaxConcurrentMigrations' $Bound['MaxConcurrentMigrations']
    Assert-StubUnlimited 'MaxConcurrentIncrementalSyncs' $Bound['MaxConcurrentIncrementalSyncs']
    if ($type -eq 'Gmail') { Assert-StubServiceAccountKey $Bound['ServiceAccountKeyFileData'] }
    $exchangeServer = $Bound['ExchangeServer']; $rpcProxy = $Bound['RpcProxyServer']
    if ($Bound['Autodiscover']) {
        # Autodiscover finds the servers from the mailbox's address (the cutover and staged articles' "Autodiscover" option).
        $domain = ($Bound['EmailAddress'] -split '@')[1]
        $exchangeServer = "mailbox.$domain"; $rpcProxy = "mail.$domain"
    }
    $state.Endpoints[$name] = @{
        Identity = $name; EndpointType = $type; RemoteServer = $Bound['RemoteServer']; Port = $Bound['Port']; Security = $Bound['Security']
        ExchangeServer = $exchangeServer; RpcProxyServer = $rpcProxy; Autodiscover = [bool]$Bound['Autodiscover']; EmailAddress = $Bound['EmailAddress']
        UserName = $(if ($Bound['Credentials']) { $Bound['Credentials'].UserName } else { $null })
        ServiceAccountKeyLength = $(if ($Bound['ServiceAccountKeyFileData']) { $Bound['ServiceAccountKeyFileData'].Length } else { $null })
        # "The default value is 100." / "The default value is 20."
        # https://learn.microsoft.com/powershell/module/exchangepowershell/new-migrationendpoint
        MaxConcurrentMigrations = $(if ($Bound.ContainsKey('MaxConcurrentMigrations')) { "$($Bound['MaxConcurrentMigrations'])" } else { '100' })
        MaxConcurrentIncrementalSyncs = $(if ($Bound.ContainsKey('MaxConcurrentIncrementalSyncs')) { "$($Bound['MaxConcurrentIncrementalSyncs'])" } else { '20' })
    }
    Write-StubState $state
    ConvertTo-StubEndpoint $state.Endpoints[$name]
}

function Invoke-StubSetMigrationEndpoint($SetName, $Bound) {
    $state = Open-Stub 'Set-MigrationEndpoint' $Bound $SetName
    $identity = $Bound['Identity']
    if (-not $state.Endpoints.ContainsKey($identity)) { Stop-Stub $state "The migration endpoint `"$identity`" couldn't be found." }
    $endpoint = $state.Endpoints[$identity]
    foreach ($key in @($Bound.Keys)) {
        if ($key -eq 'Credentials') { $endpoint.UserName = $Bound['Credentials'].UserName }
        elseif ($key -eq 'ServiceAccountKeyFileData') { Assert-StubServiceAccountKey $Bound['ServiceAccountKeyFileData']; $endpoint.ServiceAccountKeyLength = $Bound['ServiceAccountKeyFileData'].Length }
        elseif ($key -in 'MaxConcurrentMigrations', 'MaxConcurrentIncrementalSyncs') { Assert-StubUnlimited $key $Bound[$key]; $endpoint[$key] = "$($Bound[$key])" }
        elseif ($key -notin 'Identity', 'SkipVerification') { $endpoint[$key] = $Bound[$key] }
    }
    Write-StubState $state
}

function Get-StubWorstScore($Users) {
    $order = @('Perfect', 'Good', 'Investigate', 'Poor')
    $worst = 0
    foreach ($user in $Users) { $worst = [Math]::Max($worst, [array]::IndexOf($order, [string]$user.DataConsistencyScore)) }
    return $order[$worst]
}

# A user whose grade needs approval and whose skipped items were not all approved: completion waits (DCS article).
function Test-StubNeedsApproval($State, $User) {
    $batch = $State.Batches[$User.BatchId]
    $type = $State.Endpoints[$batch.SourceEndpoint].EndpointType
    if ($script:ApprovalTypes -notcontains $type) { return $false }
    if ($User.DataConsistencyScore -eq 'Poor') { return $true }
    return $User.DataConsistencyScore -eq 'Investigate' -and ($null -eq $User.SkippedItemApprovalTime -or [int]$User.ApprovedAtClock -lt [int]$User.SkippedAtClock)
}

function Set-StubSynced($State, $User) {
    $identity = $User.Identity
    $outcome = $State.Outcomes[$identity]
    if ($State.FailOnce -contains $identity) {
        $User.Status = 'Failed'; $User.Error = 'MigrationPermanentException: The user could not log on to the source server.'
        $State.FailOnce = @($State.FailOnce | Where-Object { $_ -ne $identity })
        return
    }
    if ($outcome -and $outcome -in 'IncrementalFailed', 'Corrupted', 'Stopped') {
        $User.Status = $outcome; $User.Error = "MigrationTransientException: the sync ended in $outcome."
        $State.Outcomes.Remove($identity)
        return
    }
    $User.Status = 'Synced'; $User.SyncedItemCount = 120; $User.Error = $null
    $dcs = $State.Dcs[$identity]
    if ($dcs) {
        $User.DataConsistencyScore = $dcs.Score; $User.SkippedItems = @($dcs.Items); $User.SkippedItemCount = @($dcs.Items).Count; $User.SkippedAtClock = $State.Clock
    } else {
        $User.DataConsistencyScore = 'Perfect'; $User.SkippedItems = @(); $User.SkippedItemCount = 0
    }
}

function Update-StubProgress($State) {
    # Each look at a batch moves it one stage on, as the service would between two polls.
    foreach ($batch in @($State.Batches.Values)) {
        # A frozen batch is one the service holds (a test of apply's bounded waits).
        if ($State.Frozen -contains $batch.Identity) { continue }
        $users = @($State.Users.Values | Where-Object { $_.BatchId -eq $batch.Identity })
        switch ($batch.Status) {
            'Starting' { $batch.Status = 'Syncing'; foreach ($user in $users) { if ($user.Status -in 'Queued', 'Stopped', 'Failed', 'IncrementalFailed') { $user.Status = 'Syncing' } } }
            'Syncing' {
                foreach ($user in $users) { if ($user.Status -in 'Syncing', 'Queued') { Set-StubSynced $State $user } }
                $failed = @($users | Where-Object { $_.Status -in 'Failed', 'IncrementalFailed', 'Corrupted' }).Count
                $batch.Status = if ($failed -gt 0) { 'SyncedWithErrors' } else { 'Synced' }
            }
            'Completing' {
                foreach ($user in $users) {
                    if ($user.Status -notin 'Synced', 'Completing') { continue }
                    if (Test-StubNeedsApproval $State $user) { $user.Status = 'Completing'; continue }
                    $outcome = $State.Outcomes[$user.Identity]
                    if ($outcome -eq 'CompletionFailed') { $user.Status = 'CompletionFailed'; $user.Error = 'MigrationTransientException: the final sync failed.'; $State.Outcomes.Remove($user.Identity) }
                    else { $user.Status = 'Completed' }
                }
                if (@($users | Where-Object { $_.Status -eq 'Completing' }).Count -eq 0) {
                    $batch.Status = if (@($users | Where-Object { $_.Status -eq 'CompletionFailed' }).Count -gt 0) { 'CompletedWithErrors' } else { 'Completed' }
                }
            }
            'Stopping' { $batch.Status = 'Stopped'; foreach ($user in $users) { if ($user.Status -in 'Syncing', 'Queued') { $user.Status = 'Stopped' } } }
            'Removing' {
                $State.Batches.Remove($batch.Identity)
                foreach ($user in $users) { $State.Users.Remove($user.Identity) }
                continue
            }
        }
        if ($State.Batches.ContainsKey($batch.Identity)) { $batch.DataConsistencyScore = Get-StubWorstScore $users }
    }
}

function ConvertTo-StubBatch($Batch) { [pscustomobject]$Batch }

function Invoke-StubGetMigrationBatch($SetName, $Bound) {
    $state = Open-Stub 'Get-MigrationBatch' $Bound $SetName
    $limit = Get-StubResultSize $Bound
    Update-StubProgress $state
    Write-StubState $state
    $identity = $Bound['Identity']
    if (-not $identity) {
        return @($state.Batches.Values | Where-Object { -not $Bound['Status'] -or $_.Status -eq $Bound['Status'] } | Sort-Object { $_.Identity } | Select-Object -First $limit | ForEach-Object { ConvertTo-StubBatch $_ })
    }
    if (-not $state.Batches.ContainsKey($identity)) { Write-NotFound "The migration batch `"$identity`" couldn't be found."; return }
    ConvertTo-StubBatch $state.Batches[$identity]
}

function Read-StubCsv([byte[]]$Bytes, [string]$EndpointType, [bool]$AllowUnknown) {
    # "the maximum size of the CSV file is 10 MB"; IMAP batches take at most 50,000 rows, staged ones 2,000.
    # https://learn.microsoft.com/exchange/mailbox-migration/csv-files-for-migration
    if ($Bytes.Length -gt 10MB) { throw 'The CSV file is larger than 10 MB.' }
    $text = [System.Text.Encoding]::UTF8.GetString($Bytes).TrimStart([char]0xFEFF)
    $rows = @($text | ConvertFrom-Csv)
    $header = @(($text -split "`r?`n")[0] -split ',' | ForEach-Object { $_.Trim('"') })
    $allowed = switch ($EndpointType) {
        'IMAP' { @('EmailAddress', 'UserName', 'Password', 'UserRoot') }
        'ExchangeOutlookAnywhere' { @('EmailAddress', 'Password', 'ForceChangePassword') }
        'Gmail' { @('EmailAddress', 'UserName') }
        default { @('EmailAddress', 'MailboxType', 'TargetDatabase', 'TargetArchiveDatabase') }
    }
    foreach ($column in $header) {
        if ($allowed -notcontains $column -and -not $AllowUnknown) {
            throw "The CSV file contains an unknown column header '$column'. The valid column headers for this migration are: $($allowed -join ', ')."
        }
    }
    if ($header -notcontains 'EmailAddress') { throw "The CSV file is missing the required column 'EmailAddress'." }
    $max = switch ($EndpointType) { 'IMAP' { 50000 } 'ExchangeOutlookAnywhere' { 2000 } default { [int]::MaxValue } }
    if ($rows.Count -gt $max) { throw "The CSV file has $($rows.Count) rows; this migration type allows at most $max." }
    foreach ($row in $rows) {
        if ($EndpointType -eq 'IMAP' -and (-not $row.UserName -or -not $row.Password)) { throw "Row for $($row.EmailAddress): UserName and Password are required for IMAP migration." }
        if ($header -contains 'MailboxType' -and $row.MailboxType -and $row.MailboxType -notin 'PrimaryOnly', 'ArchiveOnly', 'PrimaryAndArchive') { throw "Row for $($row.EmailAddress): MailboxType '$($row.MailboxType)' is not valid." }
    }
    return @($rows | ForEach-Object { @{ Address = $_.EmailAddress.ToLowerInvariant(); MailboxType = $(if ($header -contains 'MailboxType') { $_.MailboxType } else { $null }) } })
}

function Assert-StubFolders([string[]]$Folders, [string]$Type) {
    if (-not $Folders) { return }
    # "For an IMAP migration or Google Workspace migration": other batch types do not take folder lists.
    if ($Type -notin 'IMAP', 'Gmail') { throw "IncludeFolders and ExcludeFolders are only supported for IMAP and Google Workspace migrations." }
    foreach ($folder in $Folders) {
        if ($folder -match '[*?]' -and $folder -notmatch '/\*$') { throw "Wildcard characters can't be used in folder names: '$folder'." }
        if ($folder -match '^#([^#]+)#' -and $script:WellKnownFolders -notcontains $Matches[1]) { throw "'$folder' is not a well-known folder." }
    }
}

function New-StubUser([string]$Address, [string]$Batch, [string]$Status, $MailboxType) {
    @{ Identity = $Address; BatchId = $Batch; Status = $Status; SyncedItemCount = 0; SkippedItemCount = 0; Error = $null; MailboxType = $MailboxType
        DataConsistencyScore = 'Perfect'; SkippedItems = @(); SkippedItemApprovalTime = $null; SkippedAtClock = 0; ApprovedAtClock = 0 }
}

function Invoke-StubNewMigrationBatch($SetName, $Bound) {
    $state = Open-Stub 'New-MigrationBatch' $Bound $SetName
    Write-StubState $state
    $name = $Bound['Name']
    if ($name.Length -gt 64) { throw "The migration batch name '$name' is longer than 64 characters." }
    if ($state.Batches.ContainsKey($name)) { throw "A migration batch with the name '$name' already exists. Specify a different name." }
    $endpoint = $Bound['SourceEndpoint']
    if (-not $endpoint -or -not $state.Endpoints.ContainsKey($endpoint)) { throw "The migration endpoint `"$endpoint`" couldn't be found." }
    $type = $state.Endpoints[$endpoint].EndpointType
    $csv = $Bound['CSVData']
    $cutover = $type -eq 'ExchangeOutlookAnywhere' -and -not $csv
    if ($type -in 'ExchangeRemoteMove', 'Gmail' -and -not $Bound['TargetDeliveryDomain']) { throw 'TargetDeliveryDomain is required for this migration type.' }
    if ($Bound['ContentFilter'] -and $type -notin 'IMAP', 'Gmail') { throw 'ContentFilter is only available for IMAP and Google Workspace migrations.' }
    if ($Bound['PrimaryOnly'] -and $type -ne 'ExchangeRemoteMove') { throw 'PrimaryOnly can only be used for remote move migrations.' }
    Assert-StubFolders $Bound['IncludeFolders'] $type
    Assert-StubFolders $Bound['ExcludeFolders'] $type
    if (-not $cutover -and -not $csv) { throw 'CSVData is required for this migration type.' }
    $users = @(if ($cutover) { $state.CutoverMailboxes | ForEach-Object { @{ Address = $_; MailboxType = $null } } } else { Read-StubCsv $csv $type ([bool]$Bound['AllowUnknownColumnsInCsv']) })
    $now = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
    $state.Batches[$name] = @{
        Identity = $name; Status = $(if ($Bound['AutoStart']) { 'Starting' } else { 'Created' }); SourceEndpoint = $endpoint
        MigrationType = $(if ($cutover) { 'ExchangeOutlookAnywhere (cutover)' } else { $type })
        TargetDeliveryDomain = $Bound['TargetDeliveryDomain']; NotificationEmails = @($Bound['NotificationEmails'] | Where-Object { $_ })
        StartAfter = (Get-StubDate $Bound['StartAfter']); CompleteAfter = (Get-StubDate $Bound['CompleteAfter'])
        ExcludeFolders = @($Bound['ExcludeFolders'] | Where-Object { $_ }); IncludeFolders = @($Bound['IncludeFolders'] | Where-Object { $_ })
        ContentFilter = $Bound['ContentFilter']; PrimaryOnly = [bool]$Bound['PrimaryOnly']
        TotalCount = $users.Count; DataConsistencyScore = 'Perfect'; CreationDateTime = $now
    }
    foreach ($user in $users) { $state.Users[$user.Address] = New-StubUser $user.Address $name 'Queued' $user.MailboxType }
    Write-StubState $state
    ConvertTo-StubBatch $state.Batches[$name]
}

function Invoke-StubSetMigrationBatch($SetName, $Bound) {
    $state = Open-Stub 'Set-MigrationBatch' $Bound $SetName
    $identity = $Bound['Identity']
    if (-not $state.Batches.ContainsKey($identity)) { Stop-Stub $state "The migration batch `"$identity`" couldn't be found." }
    $batch = $state.Batches[$identity]
    if ($Bound.ContainsKey('NotificationEmails')) { $batch.NotificationEmails = @($Bound['NotificationEmails']) }
    if ($Bound.ContainsKey('StartAfter')) { $batch.StartAfter = Get-StubDate $Bound['StartAfter'] }
    if ($Bound.ContainsKey('CompleteAfter')) { $batch.CompleteAfter = Get-StubDate $Bound['CompleteAfter'] }
    if ($Bound['ApproveSkippedItems']) {
        # "approving the migration ... will not approve any migration in the batch with a score of Poor" (DCS article).
        foreach ($user in @($state.Users.Values | Where-Object { $_.BatchId -eq $identity -and $_.DataConsistencyScore -ne 'Poor' })) {
            $user.SkippedItemApprovalTime = (Get-Date).ToUniversalTime().ToString('o'); $user.ApprovedAtClock = $state.Clock
        }
    }
    if ($Bound['CSVData']) {
        if (-not $Bound['AddUsers'] -and -not $Bound['Update']) { Stop-Stub $state 'CSVData needs AddUsers or Update.' }
        $type = $state.Endpoints[$batch.SourceEndpoint].EndpointType
        foreach ($user in (Read-StubCsv $Bound['CSVData'] $type ([bool]$Bound['AllowUnknownColumnsInCsv']))) {
            $state.Users[$user.Address] = New-StubUser $user.Address $identity $(if ($batch.Status -eq 'Created') { 'Queued' } else { 'Syncing' }) $user.MailboxType
        }
        $batch.TotalCount = @($state.Users.Values | Where-Object { $_.BatchId -eq $identity }).Count
        if ($batch.Status -in 'Synced', 'SyncedWithErrors') { $batch.Status = 'Syncing' }
    }
    Write-StubState $state
}

function Invoke-StubStartMigrationBatch($SetName, $Bound) {
    $state = Open-Stub 'Start-MigrationBatch' $Bound $SetName
    $identity = $Bound['Identity']
    if (-not $identity -or -not $state.Batches.ContainsKey($identity)) { Stop-Stub $state "The migration batch `"$identity`" couldn't be found." }
    $batch = $state.Batches[$identity]
    # "starts a pending migration batch ... resumes a Stopped migration batch or retry failures within a Failed or Synced with Errors
    # migration batch ... can also retry failures within a Completed with Errors migration batch."
    # https://learn.microsoft.com/powershell/module/exchangepowershell/start-migrationbatch
    if ($batch.Status -notin 'Created', 'Stopped', 'SyncedWithErrors', 'Failed', 'CompletedWithErrors', 'Synced') { Stop-Stub $state "The migration batch '$identity' can't be started because its status is $($batch.Status)." }
    $batch.Status = 'Starting'
    foreach ($user in $state.Users.Values) { if ($user.BatchId -eq $identity -and $user.Status -in 'Queued', 'Stopped', 'Failed', 'IncrementalFailed', 'CompletionFailed', 'Corrupted') { $user.Status = 'Queued' } }
    Write-StubState $state
}

function Invoke-StubStopMigrationBatch($SetName, $Bound) {
    $state = Open-Stub 'Stop-MigrationBatch' $Bound $SetName
    $identity = $Bound['Identity']
    if (-not $identity -or -not $state.Batches.ContainsKey($identity)) { Stop-Stub $state "The migration batch `"$identity`" couldn't be found." }
    $state.Batches[$identity].Status = 'Stopping'
    Write-StubState $state
}

function Invoke-StubCompleteMigrationBatch($SetName, $Bound) {
    $state = Open-Stub 'Complete-MigrationBatch' $Bound $SetName
    $identity = $Bound['Identity']
    if (-not $identity -or -not $state.Batches.ContainsKey($identity)) { Stop-Stub $state "The migration batch `"$identity`" couldn't be found." }
    $batch = $state.Batches[$identity]
    if ($batch.Status -notin 'Synced', 'SyncedWithErrors') { Stop-Stub $state "The migration batch '$identity' can't be completed because its status is $($batch.Status)." }
    $batch.Status = 'Completing'
    Write-StubState $state
}

function Invoke-StubRemoveMigrationBatch($SetName, $Bound) {
    $state = Open-Stub 'Remove-MigrationBatch' $Bound $SetName
    $identity = $Bound['Identity']
    if (-not $identity -or -not $state.Batches.ContainsKey($identity)) { Stop-Stub $state "The migration batch `"$identity`" couldn't be found." }
    $batch = $state.Batches[$identity]
    if ($batch.Status -in 'Starting', 'Completing', 'Removing', 'Stopping') { Stop-Stub $state "The migration batch '$identity' can't be removed because its status is $($batch.Status)." }
    $batch.Status = 'Removing'
    Write-StubState $state
}

function ConvertTo-StubUser($User) {
    [pscustomobject]@{ Identity = $User.Identity; BatchId = $User.BatchId; Status = $User.Status; DataConsistencyScore = $User.DataConsistencyScore; MailboxType = $User.MailboxType }
}

function Invoke-StubGetMigrationUser($SetName, $Bound) {
    $state = Open-Stub 'Get-MigrationUser' $Bound $SetName
    $limit = Get-StubResultSize $Bound
    Write-StubState $state
    $identity = $Bound['Identity']
    $users = @($state.Users.Values | Where-Object {
            (-not $identity -or $_.Identity -eq $identity) -and (-not $Bound['BatchId'] -or $_.BatchId -eq $Bound['BatchId']) -and (-not $Bound['Status'] -or $_.Status -eq $Bound['Status']) })
    if ($identity -and $users.Count -eq 0) { Write-NotFound "The migration user `"$identity`" couldn't be found."; return }
    $users | Sort-Object { $_.Identity } | Select-Object -First $limit | ForEach-Object { ConvertTo-StubUser $_ }
}

function Invoke-StubGetMigrationUserStatistics($SetName, $Bound) {
    $state = Open-Stub 'Get-MigrationUserStatistics' $Bound $SetName
    Write-StubState $state
    $identity = "$($Bound['Identity'])"
    if (-not $state.Users.ContainsKey($identity)) { Write-NotFound "The migration user `"$identity`" couldn't be found."; return }
    $user = $state.Users[$identity]
    $items = @(if ($Bound['IncludeSkippedItems']) { $user.SkippedItems | ForEach-Object { [pscustomobject]$_ } })
    if ($Bound.ContainsKey('LimitSkippedItemsTo')) { $items = @($items | Select-Object -First $Bound['LimitSkippedItemsTo']) }
    [pscustomobject]@{
        Identity = $user.Identity; Status = $user.Status; SyncedItemCount = $user.SyncedItemCount; SkippedItemCount = $user.SkippedItemCount; Error = $user.Error
        DataConsistencyScore = $user.DataConsistencyScore; SkippedItems = $items; SkippedItemApprovalTime = $user.SkippedItemApprovalTime
    }
}

function Invoke-StubSetMigrationUser($SetName, $Bound) {
    $state = Open-Stub 'Set-MigrationUser' $Bound $SetName
    $identity = "$($Bound['Identity'])"
    if (-not $state.Users.ContainsKey($identity)) { Stop-Stub $state "The migration user `"$identity`" couldn't be found." }
    $user = $state.Users[$identity]
    if ($Bound['ApproveSkippedItems']) {
        # "marks all of the skipped items that were discovered prior to the current time as approved"
        # https://learn.microsoft.com/powershell/module/exchangepowershell/set-migrationuser
        $user.SkippedItemApprovalTime = (Get-Date).ToUniversalTime().ToString('o'); $user.ApprovedAtClock = $state.Clock
    }
    Write-StubState $state
}

function Invoke-StubStartMigrationUser($SetName, $Bound) {
    $state = Open-Stub 'Start-MigrationUser' $Bound $SetName
    $identity = "$($Bound['Identity'])"
    if (-not $state.Users.ContainsKey($identity)) { Stop-Stub $state "The migration user `"$identity`" couldn't be found." }
    $user = $state.Users[$identity]
    $user.Status = 'Syncing'
    $user.Error = $null
    $batch = $state.Batches[$user.BatchId]
    if ($batch.Status -in 'Synced', 'SyncedWithErrors', 'Failed', 'CompletedWithErrors') { $batch.Status = 'Syncing' }
    Write-StubState $state
}

Export-ModuleMember -Function @(
    'Connect-ExchangeOnline', 'Disconnect-ExchangeOnline', 'Test-MigrationServerAvailability',
    'Get-MigrationEndpoint', 'New-MigrationEndpoint', 'Set-MigrationEndpoint',
    'Get-MigrationBatch', 'New-MigrationBatch', 'Set-MigrationBatch', 'Start-MigrationBatch', 'Stop-MigrationBatch', 'Complete-MigrationBatch', 'Remove-MigrationBatch',
    'Get-MigrationUser', 'Get-MigrationUserStatistics', 'Set-MigrationUser', 'Start-MigrationUser')

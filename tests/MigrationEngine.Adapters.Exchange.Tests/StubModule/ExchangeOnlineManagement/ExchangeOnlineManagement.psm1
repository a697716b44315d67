# Stub of ExchangeOnlineManagement for tests. Functions carry the real cmdlets' names and parameters ([CmdletBinding()] makes an
# unknown parameter fail as it does with the real module). State lives in the JSON file named by $env:EXO_STUB_STATE so that the
# executor's runspace, an exported script and the test all see the same tenant. Every call is appended to State.Calls.
Set-StrictMode -Version 3

function Read-StubState {
    $path = $env:EXO_STUB_STATE
    if (-not $path) { throw 'EXO_STUB_STATE is not set' }
    if (Test-Path -LiteralPath $path) {
        $state = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json -AsHashtable
    } else {
        $state = @{}
    }
    foreach ($key in 'Endpoints', 'Batches', 'Users', 'Mailboxes') { if (-not $state.ContainsKey($key)) { $state[$key] = @{} } }
    foreach ($key in 'Calls', 'FailOnce', 'CutoverMailboxes', 'Unreachable') { if (-not $state.ContainsKey($key)) { $state[$key] = @() } }
    if (-not $state.ContainsKey('Connected')) { $state.Connected = $false }
    return $state
}

function Write-StubState($State) {
    $State | ConvertTo-Json -Depth 12 | Set-Content -LiteralPath $env:EXO_STUB_STATE -Encoding utf8
}

function Add-StubCall($State, [string]$Command, $Bound) {
    $State.Calls += , @{ Command = $Command; Parameters = @($Bound.Keys | Sort-Object) }
}

function Assert-Connected($State) {
    if (-not $State.Connected) {
        throw [System.InvalidOperationException]::new('You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets.')
    }
}

function Write-NotFound([string]$Message) {
    $exception = [System.Management.Automation.ItemNotFoundException]::new($Message)
    $record = [System.Management.Automation.ErrorRecord]::new($exception, 'ManagementObjectNotFoundException', [System.Management.Automation.ErrorCategory]::ObjectNotFound, $null)
    $PSCmdlet.WriteError($record)
}

function Get-StubDate($Value) {
    if ($null -eq $Value) { return $null }
    return ([datetime]$Value).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
}

function Read-StubCsv([byte[]]$Bytes, [string]$EndpointType, [string]$BatchName) {
    $text = [System.Text.Encoding]::UTF8.GetString($Bytes).TrimStart([char]0xFEFF)
    $rows = @($text | ConvertFrom-Csv)
    $header = @(($text -split "`r?`n")[0] -split ',' | ForEach-Object { $_.Trim('"') })
    $allowed = switch ($EndpointType) {
        'IMAP' { @('EmailAddress', 'UserName', 'Password', 'UserRoot') }
        'ExchangeOutlookAnywhere' { @('EmailAddress', 'Password', 'ForceChangePassword') }
        default { @('EmailAddress') }
    }
    foreach ($column in $header) {
        if ($allowed -notcontains $column) {
            throw "The CSV file contains an unknown column header '$column'. The valid column headers for this migration are: $($allowed -join ', ')."
        }
    }
    if ($header -notcontains 'EmailAddress') { throw "The CSV file is missing the required column 'EmailAddress'." }
    if ($EndpointType -eq 'IMAP') {
        foreach ($row in $rows) {
            if (-not $row.UserName -or -not $row.Password) { throw "Row for $($row.EmailAddress): UserName and Password are required for IMAP migration." }
        }
    }
    return @($rows | ForEach-Object { $_.EmailAddress.ToLowerInvariant() })
}

function Connect-ExchangeOnline {
    [CmdletBinding()]
    param(
        [string]$AppId,
        [string]$CertificateFilePath,
        [securestring]$CertificatePassword,
        [System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate,
        [string]$CertificateThumbprint,
        [string]$AccessToken,
        [string]$Organization,
        [string]$ExchangeEnvironmentName,
        [switch]$ShowBanner)
    $state = Read-StubState
    Add-StubCall $state 'Connect-ExchangeOnline' $PSBoundParameters
    if (-not $Organization) { Write-StubState $state; throw 'The Organization parameter is required for app-only authentication.' }
    if ($CertificateFilePath -and -not (Test-Path -LiteralPath $CertificateFilePath)) { Write-StubState $state; throw "Could not find certificate file '$CertificateFilePath'." }
    if (-not $CertificateFilePath -and -not $Certificate -and -not $AccessToken) { Write-StubState $state; throw 'Specify a certificate or an access token for app-only authentication.' }
    $state.Connected = $true
    $state.Organization = $Organization
    Write-StubState $state
}

function Disconnect-ExchangeOnline {
    [CmdletBinding(SupportsShouldProcess)]
    param()
    $state = Read-StubState
    Add-StubCall $state 'Disconnect-ExchangeOnline' $PSBoundParameters
    $state.Connected = $false
    Write-StubState $state
}

function Test-MigrationServerAvailability {
    [CmdletBinding()]
    param(
        [switch]$ExchangeOutlookAnywhere, [switch]$ExchangeRemoteMove, [switch]$IMAP, [switch]$Autodiscover,
        [string]$ExchangeServer, [string]$RpcProxyServer, [string]$Authentication, [string]$EmailAddress,
        [pscredential]$Credentials, [string]$RemoteServer, [int]$Port, [string]$Security)
    $state = Read-StubState
    Assert-Connected $state
    Add-StubCall $state 'Test-MigrationServerAvailability' $PSBoundParameters
    Write-StubState $state
    $server = @($RemoteServer, $ExchangeServer) | Where-Object { $_ } | Select-Object -First 1
    if ($state.Unreachable -contains $server) {
        return [pscustomobject]@{ Result = 'Failed'; Message = "The connection to the server '$server' could not be completed." }
    }
    return [pscustomobject]@{ Result = 'Success'; Message = '' }
}

function ConvertTo-StubEndpoint($Endpoint) {
    $object = [pscustomobject]$Endpoint
    $object.PSObject.TypeNames.Insert(0, 'Microsoft.Exchange.Migration.MigrationEndpoint')
    return $object
}

function Get-MigrationEndpoint {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string]$Identity, [string]$Type)
    $state = Read-StubState
    Assert-Connected $state
    Add-StubCall $state 'Get-MigrationEndpoint' $PSBoundParameters
    Write-StubState $state
    if (-not $Identity) { return @($state.Endpoints.Values | ForEach-Object { ConvertTo-StubEndpoint $_ }) }
    if (-not $state.Endpoints.ContainsKey($Identity)) {
        Write-NotFound "The migration endpoint `"$Identity`" couldn't be found."
        return
    }
    ConvertTo-StubEndpoint $state.Endpoints[$Identity]
}

function New-MigrationEndpoint {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Name,
        [switch]$ExchangeOutlookAnywhere, [switch]$ExchangeRemoteMove, [switch]$IMAP, [switch]$Autodiscover,
        [string]$ExchangeServer, [string]$RpcProxyServer, [string]$Authentication, [string]$EmailAddress,
        [pscredential]$Credentials, [string]$RemoteServer, [int]$Port, [string]$Security,
        [int]$MaxConcurrentMigrations, [int]$MaxConcurrentIncrementalSyncs, [switch]$SkipVerification)
    $state = Read-StubState
    Assert-Connected $state
    Add-StubCall $state 'New-MigrationEndpoint' $PSBoundParameters
    Write-StubState $state
    if ($state.Endpoints.ContainsKey($Name)) { throw "The migration endpoint '$Name' already exists. Specify a different name." }
    $type = if ($IMAP) { 'IMAP' } elseif ($ExchangeRemoteMove) { 'ExchangeRemoteMove' } elseif ($ExchangeOutlookAnywhere) { 'ExchangeOutlookAnywhere' } else { throw 'Parameter set cannot be resolved using the specified named parameters.' }
    if ($type -eq 'IMAP' -and (-not $RemoteServer -or -not $Port)) { throw 'RemoteServer and Port are required for an IMAP endpoint.' }
    if ($type -ne 'IMAP' -and -not $Credentials) { throw 'Credentials are required for this endpoint type.' }
    $state.Endpoints[$Name] = @{
        Identity = $Name; EndpointType = $type; RemoteServer = $RemoteServer; Port = $Port; Security = $Security
        ExchangeServer = $ExchangeServer; RpcProxyServer = $RpcProxyServer; UserName = $(if ($Credentials) { $Credentials.UserName } else { $null })
        MaxConcurrentMigrations = $(if ($PSBoundParameters.ContainsKey('MaxConcurrentMigrations')) { $MaxConcurrentMigrations } else { 20 })
        MaxConcurrentIncrementalSyncs = $(if ($PSBoundParameters.ContainsKey('MaxConcurrentIncrementalSyncs')) { $MaxConcurrentIncrementalSyncs } else { 10 })
    }
    Write-StubState $state
    ConvertTo-StubEndpoint $state.Endpoints[$Name]
}

function Set-MigrationEndpoint {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][string]$Identity,
        [string]$ExchangeServer, [string]$RpcProxyServer, [pscredential]$Credentials, [string]$RemoteServer, [int]$Port, [string]$Security,
        [int]$MaxConcurrentMigrations, [int]$MaxConcurrentIncrementalSyncs, [switch]$SkipVerification)
    $state = Read-StubState
    Assert-Connected $state
    Add-StubCall $state 'Set-MigrationEndpoint' $PSBoundParameters
    if (-not $state.Endpoints.ContainsKey($Identity)) { Write-StubState $state; throw "The migration endpoint `"$Identity`" couldn't be found." }
    $endpoint = $state.Endpoints[$Identity]
    foreach ($key in $PSBoundParameters.Keys) {
        if ($key -eq 'Credentials') { $endpoint.UserName = $Credentials.UserName }
        elseif ($key -notin 'Identity', 'SkipVerification') { $endpoint[$key] = $PSBoundParameters[$key] }
    }
    Write-StubState $state
}

function Update-StubProgress($State) {
    # Each look at a batch moves it one stage on, as the service would between two polls.
    foreach ($batch in $State.Batches.Values) {
        $users = @($State.Users.Values | Where-Object { $_.BatchId -eq $batch.Identity })
        switch ($batch.Status) {
            'Starting' { $batch.Status = 'Syncing'; foreach ($user in $users) { if ($user.Status -in 'Queued', 'Stopped') { $user.Status = 'Syncing' } } }
            'Syncing' {
                foreach ($user in $users) {
                    if ($user.Status -eq 'Syncing') {
                        if ($State.FailOnce -contains $user.Identity) {
                            $user.Status = 'Failed'; $user.Error = 'MigrationPermanentException: The user could not log on to the source server.'
                            $State.FailOnce = @($State.FailOnce | Where-Object { $_ -ne $user.Identity })
                        } else {
                            $user.Status = 'Synced'; $user.SyncedItemCount = 120; $user.SkippedItemCount = 1; $user.Error = $null
                        }
                    }
                }
                $batch.Status = if (@($users | Where-Object { $_.Status -eq 'Failed' }).Count -gt 0) { 'SyncedWithErrors' } else { 'Synced' }
            }
            'Completing' {
                foreach ($user in $users) { if ($user.Status -eq 'Synced') { $user.Status = 'Completed' } }
                $batch.Status = 'Completed'
            }
        }
    }
}

function Get-MigrationBatch {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string]$Identity, [string]$Status, [switch]$IncludeReport, [string]$Endpoint, [switch]$Diagnostic)
    $state = Read-StubState
    Assert-Connected $state
    Add-StubCall $state 'Get-MigrationBatch' $PSBoundParameters
    Update-StubProgress $state
    Write-StubState $state
    if (-not $Identity) { return @($state.Batches.Values | ForEach-Object { [pscustomobject]$_ }) }
    if (-not $state.Batches.ContainsKey($Identity)) {
        Write-NotFound "The migration batch `"$Identity`" couldn't be found."
        return
    }
    [pscustomobject]$state.Batches[$Identity]
}

function New-MigrationBatch {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Name,
        [string]$SourceEndpoint, [byte[]]$CSVData, [string]$TargetDeliveryDomain, [string[]]$NotificationEmails,
        [datetime]$StartAfter, [datetime]$CompleteAfter, [switch]$AutoStart, [switch]$AutoComplete,
        [string[]]$ExcludeFolders, [string[]]$IncludeFolders, [string]$ContentFilter, [object]$BadItemLimit, [object]$LargeItemLimit,
        [bool]$AllowUnknownColumnsInCsv, [switch]$DisallowExistingUsers)
    $state = Read-StubState
    Assert-Connected $state
    Add-StubCall $state 'New-MigrationBatch' $PSBoundParameters
    Write-StubState $state
    if ($Name.Length -gt 64) { throw "The migration batch name '$Name' is longer than 64 characters." }
    if ($state.Batches.ContainsKey($Name)) { throw "A migration batch with the name '$Name' already exists. Specify a different name." }
    if (-not $SourceEndpoint -or -not $state.Endpoints.ContainsKey($SourceEndpoint)) { throw "The migration endpoint `"$SourceEndpoint`" couldn't be found." }
    $type = $state.Endpoints[$SourceEndpoint].EndpointType
    $cutover = $type -eq 'ExchangeOutlookAnywhere' -and -not $CSVData
    if ($type -eq 'ExchangeRemoteMove' -and -not $TargetDeliveryDomain) { throw 'TargetDeliveryDomain is required for a remote move migration.' }
    if (-not $cutover -and -not $CSVData) { throw 'CSVData is required for this migration type.' }
    $users = @(if ($cutover) { $state.CutoverMailboxes } else { Read-StubCsv $CSVData $type $Name })
    $state.Batches[$Name] = @{
        Identity = $Name; Status = $(if ($AutoStart) { 'Starting' } else { 'Created' }); SourceEndpoint = $SourceEndpoint
        MigrationType = $(if ($cutover) { 'ExchangeOutlookAnywhere (cutover)' } else { $type })
        TargetDeliveryDomain = $TargetDeliveryDomain; NotificationEmails = @($NotificationEmails | Where-Object { $_ })
        StartAfter = (Get-StubDate $(if ($PSBoundParameters.ContainsKey('StartAfter')) { $StartAfter } else { $null }))
        CompleteAfter = (Get-StubDate $(if ($PSBoundParameters.ContainsKey('CompleteAfter')) { $CompleteAfter } else { $null }))
        ExcludeFolders = @($ExcludeFolders | Where-Object { $_ }); IncludeFolders = @($IncludeFolders | Where-Object { $_ })
        ContentFilter = $ContentFilter; BadItemLimit = $(if ($null -ne $BadItemLimit) { "$BadItemLimit" } else { $null })
        TotalCount = $users.Count
    }
    foreach ($user in $users) {
        $state.Users[$user] = @{ Identity = $user; BatchId = $Name; Status = 'Queued'; SyncedItemCount = 0; SkippedItemCount = 0; Error = $null }
    }
    Write-StubState $state
    [pscustomobject]$state.Batches[$Name]
}

function Set-MigrationBatch {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][string]$Identity,
        [string[]]$NotificationEmails, [datetime]$StartAfter, [datetime]$CompleteAfter, [object]$BadItemLimit, [object]$LargeItemLimit,
        [byte[]]$CSVData, [switch]$AddUsers, [switch]$Update, [bool]$AllowUnknownColumnsInCsv, [switch]$SyncNow, [switch]$ApproveSkippedItems)
    $state = Read-StubState
    Assert-Connected $state
    Add-StubCall $state 'Set-MigrationBatch' $PSBoundParameters
    if (-not $state.Batches.ContainsKey($Identity)) { Write-StubState $state; throw "The migration batch `"$Identity`" couldn't be found." }
    $batch = $state.Batches[$Identity]
    if ($PSBoundParameters.ContainsKey('NotificationEmails')) { $batch.NotificationEmails = @($NotificationEmails) }
    if ($PSBoundParameters.ContainsKey('StartAfter')) { $batch.StartAfter = Get-StubDate $StartAfter }
    if ($PSBoundParameters.ContainsKey('CompleteAfter')) { $batch.CompleteAfter = Get-StubDate $CompleteAfter }
    if ($PSBoundParameters.ContainsKey('BadItemLimit')) { $batch.BadItemLimit = "$BadItemLimit" }
    if ($CSVData) {
        $type = $state.Endpoints[$batch.SourceEndpoint].EndpointType
        foreach ($user in (Read-StubCsv $CSVData $type $Identity)) {
            $state.Users[$user] = @{ Identity = $user; BatchId = $Identity; Status = $(if ($batch.Status -eq 'Created') { 'Queued' } else { 'Syncing' }); SyncedItemCount = 0; SkippedItemCount = 0; Error = $null }
        }
        if ($batch.Status -in 'Synced', 'SyncedWithErrors') { $batch.Status = 'Syncing' }
    }
    Write-StubState $state
}

function Start-MigrationBatch {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory, Position = 0)][string]$Identity, [switch]$Validate)
    $state = Read-StubState
    Assert-Connected $state
    Add-StubCall $state 'Start-MigrationBatch' $PSBoundParameters
    if (-not $state.Batches.ContainsKey($Identity)) { Write-StubState $state; throw "The migration batch `"$Identity`" couldn't be found." }
    $batch = $state.Batches[$Identity]
    if ($batch.Status -notin 'Created', 'Stopped', 'SyncedWithErrors', 'Failed') { Write-StubState $state; throw "The migration batch '$Identity' can't be started because its status is $($batch.Status)." }
    $batch.Status = 'Starting'
    foreach ($user in $state.Users.Values) { if ($user.BatchId -eq $Identity -and $user.Status -in 'Queued', 'Stopped', 'Failed') { $user.Status = 'Queued' } }
    Write-StubState $state
}

function Complete-MigrationBatch {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory, Position = 0)][string]$Identity, [switch]$SyncAndComplete)
    $state = Read-StubState
    Assert-Connected $state
    Add-StubCall $state 'Complete-MigrationBatch' $PSBoundParameters
    if (-not $state.Batches.ContainsKey($Identity)) { Write-StubState $state; throw "The migration batch `"$Identity`" couldn't be found." }
    $batch = $state.Batches[$Identity]
    if ($batch.Status -notin 'Synced', 'SyncedWithErrors') { Write-StubState $state; throw "The migration batch '$Identity' can't be completed because its status is $($batch.Status)." }
    $batch.Status = 'Completing'
    Write-StubState $state
}

function Get-MigrationUser {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string]$Identity, [string]$BatchId, [string]$Status, [object]$ResultSize)
    $state = Read-StubState
    Assert-Connected $state
    Add-StubCall $state 'Get-MigrationUser' $PSBoundParameters
    Write-StubState $state
    $users = @($state.Users.Values | Where-Object {
            (-not $Identity -or $_.Identity -eq $Identity) -and (-not $BatchId -or $_.BatchId -eq $BatchId) -and (-not $Status -or $_.Status -eq $Status) })
    if ($Identity -and $users.Count -eq 0) { Write-NotFound "The migration user `"$Identity`" couldn't be found."; return }
    $users | Sort-Object { $_.Identity } | ForEach-Object { [pscustomobject]@{ Identity = $_.Identity; BatchId = $_.BatchId; Status = $_.Status } }
}

function Get-MigrationUserStatistics {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)][string]$Identity, [switch]$IncludeReport, [switch]$IncludeSkippedItems)
    $state = Read-StubState
    Assert-Connected $state
    Add-StubCall $state 'Get-MigrationUserStatistics' $PSBoundParameters
    Write-StubState $state
    if (-not $state.Users.ContainsKey($Identity)) { Write-NotFound "The migration user `"$Identity`" couldn't be found."; return }
    $user = $state.Users[$Identity]
    [pscustomobject]@{ Identity = $user.Identity; Status = $user.Status; SyncedItemCount = $user.SyncedItemCount; SkippedItemCount = $user.SkippedItemCount; Error = $user.Error }
}

function Start-MigrationUser {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory, Position = 0)][string]$Identity)
    $state = Read-StubState
    Assert-Connected $state
    Add-StubCall $state 'Start-MigrationUser' $PSBoundParameters
    if (-not $state.Users.ContainsKey($Identity)) { Write-StubState $state; throw "The migration user `"$Identity`" couldn't be found." }
    $user = $state.Users[$Identity]
    $user.Status = 'Syncing'
    $user.Error = $null
    $batch = $state.Batches[$user.BatchId]
    if ($batch.Status -in 'Synced', 'SyncedWithErrors', 'Failed') { $batch.Status = 'Syncing' }
    Write-StubState $state
}

function Get-Mailbox {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string]$Identity, [object]$ResultSize)
    $state = Read-StubState
    Assert-Connected $state
    Add-StubCall $state 'Get-Mailbox' $PSBoundParameters
    Write-StubState $state
    if (-not $state.Mailboxes.ContainsKey($Identity)) { Write-NotFound "The operation couldn't be performed because object '$Identity' couldn't be found."; return }
    [pscustomobject]@{ Identity = $Identity; PrimarySmtpAddress = $Identity }
}

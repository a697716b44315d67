@{
    RootModule        = 'ExchangeOnlineManagement.psm1'
    ModuleVersion     = '3.9.0'
    GUID              = 'b5eced50-afa4-455b-847a-d8fb64140a22'
    Author            = 'MigrationEngine tests'
    Description       = 'Test stub of the ExchangeOnlineManagement cmdlets used by MigrationEngine: parameter sets generated from the Microsoft Learn reference pages, state in a JSON file.'
    PowerShellVersion = '7.0'
    FunctionsToExport = @(
        'Connect-ExchangeOnline', 'Disconnect-ExchangeOnline', 'Test-MigrationServerAvailability',
        'Get-MigrationEndpoint', 'New-MigrationEndpoint', 'Set-MigrationEndpoint',
        'Get-MigrationBatch', 'New-MigrationBatch', 'Set-MigrationBatch', 'Start-MigrationBatch', 'Stop-MigrationBatch', 'Complete-MigrationBatch', 'Remove-MigrationBatch',
        'Get-MigrationUser', 'Get-MigrationUserStatistics', 'Set-MigrationUser', 'Start-MigrationUser')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}

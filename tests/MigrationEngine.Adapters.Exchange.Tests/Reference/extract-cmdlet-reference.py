#!/usr/bin/env python3
"""Writes cmdlet-reference.json: the Exchange Online parameter sets of the cmdlets the engine calls, taken from the SYNTAX
blocks of Microsoft's reference pages (github.com/MicrosoftDocs/office-docs-powershell, exchange/exchange-ps/ExchangePowerShell).

Usage: extract-cmdlet-reference.py DOCS_CHECKOUT_OR_GIT_DIR > cmdlet-reference.json

Only parameters whose "Applicable:" line names Exchange Online are kept (BadItemLimit, for example, is Exchange Server only).
A parameter is mandatory in a set when the syntax block writes it without brackets, or when it is a switch that the parameter's yaml
block marks "Required: True" for that set (the set-selecting switches: -IMAP, -Gmail, -Analyze, ...).
-Confirm and -WhatIf are left out: they come with SupportsShouldProcess, recorded per cmdlet.
"""
import json, re, subprocess, sys

CMDLETS = [
    "Connect-ExchangeOnline", "Disconnect-ExchangeOnline", "Test-MigrationServerAvailability",
    "Get-MigrationEndpoint", "New-MigrationEndpoint", "Set-MigrationEndpoint",
    "Get-MigrationBatch", "New-MigrationBatch", "Set-MigrationBatch", "Start-MigrationBatch", "Stop-MigrationBatch",
    "Complete-MigrationBatch", "Remove-MigrationBatch",
    "Get-MigrationUser", "Get-MigrationUserStatistics", "Set-MigrationUser", "Start-MigrationUser",
]
FOLDER = "exchange/exchange-ps/ExchangePowerShell"
TOKEN = re.compile(r"\[\[-(\w+)\]\s*(<[^>]*>)\]|\[-(\w+)\]\s+(<?[\w.\[\]]+>)|\[-(\w+)(\s*<[^>]*>)?\]|(?<![\w\[])-(\w+)(\s*<[^>]*>)?")


def read(root, name):
    path = f"{FOLDER}/{name}.md"
    return subprocess.run(["git", "-C", root, "show", f"HEAD:{path}"], check=True, capture_output=True, text=True).stdout


def required_switches(text):
    """(parameter, set) pairs whose yaml block says "Required: True". The syntax blocks write set-selecting switches in brackets
    ([-IMAP], [-Analyze]); the parameter's yaml says they are required in their sets, which is how the cmdlet tells its sets apart."""
    result = set()
    for match in re.finditer(r"^### -(\w+)\s*\n(.*?)(?=^### |^## )", text, re.M | re.S):
        for block in re.findall(r"```yaml\n(.*?)```", match.group(2), re.S):
            sets = re.search(r"^Parameter Sets: (.*)$", block, re.M)
            required = re.search(r"^Required: True", block, re.M)
            if sets and required:
                for name in sets.group(1).split(","):
                    result.add((match.group(1), name.strip()))
    return result


def applicable(text):
    result = {}
    for match in re.finditer(r"^### -(\w+)\s*\n+> Applicable: (.*)$", text, re.M):
        result[match.group(1)] = "Exchange Online" in match.group(2)
    return result


def parse(name, text):
    syntax = text.split("## SYNTAX", 1)[1].split("## DESCRIPTION", 1)[0]
    blocks = re.findall(r"(?:### ([^\n]+)\n+)?```\n(.*?)```", syntax, re.S)
    online = applicable(text)
    switches = required_switches(text)
    sets = {}
    for set_name, body in blocks:
        set_name = (set_name or "Default").replace(" (Default)", "").strip()
        body = body.replace(name, "", 1)
        parameters = {}
        for m in TOKEN.finditer(body):
            optional_positional, t1, mandatory_positional, t2, optional, t3, mandatory, t4 = m.groups()
            param = optional_positional or mandatory_positional or optional or mandatory
            if param in ("Confirm", "WhatIf") or not online.get(param, False):
                continue
            kind = (t1 or t2 or t3 or t4 or "").strip().strip("<>")
            selector = kind == "" and ((param, set_name) in switches or (param, "(All)") in switches)
            parameters[param] = {"mandatory": bool(mandatory_positional or mandatory) or selector, "positional": bool(optional_positional or mandatory_positional), "type": kind or "SwitchParameter"}
        sets[set_name] = parameters  # syntax order: positions count in it
    return {
        "url": f"https://learn.microsoft.com/powershell/module/exchangepowershell/{name.lower()}",
        "supportsShouldProcess": "[-Confirm]" in syntax,
        "parameterSets": sets,
    }


def main():
    root = sys.argv[1]
    commit = subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    table = {"source": f"https://github.com/MicrosoftDocs/office-docs-powershell/tree/{commit}/{FOLDER}", "cmdlets": {}}
    for name in CMDLETS:
        table["cmdlets"][name] = parse(name, read(root, name))
    json.dump(table, sys.stdout, indent=2)
    sys.stdout.write("\n")


main()

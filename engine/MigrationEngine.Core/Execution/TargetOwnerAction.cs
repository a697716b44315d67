namespace MigrationEngine.Core.Execution;

/// <summary>What a run does with a target's owner marker (see <see cref="TargetOwner"/>).</summary>
public enum TargetOwnerAction
{
    /// <summary>No marker, or this state's marker written by another run: write this run's marker.</summary>
    Write,
    /// <summary>This run's own marker is there already.</summary>
    Keep,
    /// <summary>Another state's marker, and the plan allows shared targets: leave it.</summary>
    Share,
    /// <summary>A fresh state of the same plan replaces a marker whose run is over (recovery from a lost state).</summary>
    TakeOver,
    /// <summary>Another state writes here: refused (MIG0240).</summary>
    Refuse,
}

using System.Reflection;
using System.Runtime.ExceptionServices;
using MigrationEngine.Core.State;

namespace MigrationEngine.Adapters.Files.Tests;

/// <summary>A state store that counts the step writes made through it (each SaveStepAsync or SaveStepsAsync call) and passes every call on.</summary>
public class StepWriteCounter : DispatchProxy
{
    private IStateStore _inner = null!;
    private int _writes;

    public int Writes => Volatile.Read(ref _writes);

    public static IStateStore Wrap(IStateStore inner, out StepWriteCounter counter)
    {
        var proxy = Create<IStateStore, StepWriteCounter>();
        counter = (StepWriteCounter)(object)proxy;
        counter._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name is nameof(IStateStore.SaveStepAsync) or nameof(IStateStore.SaveStepsAsync))
        {
            Interlocked.Increment(ref _writes);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}

namespace Simlane.Server.Tests.Infrastructure;

/// <summary>
/// Test classes that measure the whole process (allocations) and so must not share it with other classes:
/// xUnit runs this collection after the parallel ones, with nothing else running.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneInProcess
{
    public const string Name = "Alone in the process";
}

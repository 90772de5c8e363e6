using Simlane.TestSupport;

namespace Simlane.Cli.Tests.Infrastructure;

/// <summary>The Simlane server the CLI talks plain HTTP to (<see cref="LoopbackServer"/>), shared by the tests of one class.</summary>
public sealed class CliServer : LoopbackServer;

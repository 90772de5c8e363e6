using BenchmarkDotNet.Running;

// Simlane micro-benchmarks (issue 5 part 6). Run in Release:
//   dotnet run -c Release --project bench/Simlane.Bench -- --filter '*'
// See docs/performance.md, section "Rule engine".
BenchmarkSwitcher.FromAssembly(typeof(Simlane.Bench.HandlerIndexBenchmark).Assembly).Run(args);

// The conformance suite on Swift's default executor: the reference output. Arguments: the names
// of the cases to run (all when none). ConformanceTests runs it beside ConformanceOnRunviz.

import ConformanceCases

await Conformance.run(Array(CommandLine.arguments.dropFirst()))

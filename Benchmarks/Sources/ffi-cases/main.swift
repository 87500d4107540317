// The library's benchmark cases without GRDB (nor Foundation): what callgrind counts, for
// Benchmarks/compare and scripts/instruction-budget (see Driver.swift).

import BenchDriver
import FFIBenchCases

Driver.main { directory, plugin in Cases.all(directory: directory, pluginPath: plugin) }

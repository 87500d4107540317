// Every benchmark case, the library's and GRDB's, for Benchmarks/compare (see Driver.swift).

import BenchDriver
import FFIBenchCases
import GRDBBenchCases

Driver.main { directory, plugin in
    var cases = Cases.all(directory: directory, pluginPath: plugin)
    // Each GRDB case right after the case it repeats ("db-get-grdb" after "db-get").
    for grdb in GRDBCases.all(directory: directory) {
        let index = cases.firstIndex { $0.name == String(grdb.name.dropLast("-grdb".count)) } ?? cases.count - 1
        cases.insert(grdb, at: index + 1)
    }
    return cases
}

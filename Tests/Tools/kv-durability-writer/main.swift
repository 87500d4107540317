// A child process for the durability test: sets keys one by one and reports each write
// the database acknowledged, until it is killed.
//
// Usage: kv-durability-writer PATH LABEL

import Glibc
import KeyValueStore

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    print("usage: kv-durability-writer PATH LABEL")
    exit(2)
}
do {
    let database = try Database(path: arguments[1])
    var index = 0
    while true {
        try database.set("\(arguments[2])-\(index)", "value-\(index)")
        // Only after set returned: the write is acknowledged, and must survive a kill.
        print("ack \(index)")
        fflush(nil)  // every stream; stdout is the one written
        index += 1
    }
} catch {
    print("error: \(error)")
    exit(1)
}

// Arbitrary input through the uppercase plugin's C table, loaded with PluginLibrary as any
// host would: the output is the upper-cased text, or the input is refused as not UTF-8 —
// never a crash, never a truncation. Set FUZZ_PLUGIN to the plugin library.

import Glibc
import PluginKit

private let library: PluginLibrary = {
    let path = getenv("FUZZ_PLUGIN").map { String(cString: $0) } ?? "../.build/debug/libuppercase-plugin.so"
    do {
        return try PluginLibrary(path: path)
    } catch {
        fatalError("FUZZ_PLUGIN: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let instance = try? library.makeInstance() else { preconditionFailure("create") }
    do {
        let output = try instance.process(input)
        guard let text = String(validating: input, as: UTF8.self) else { preconditionFailure("invalid input accepted") }
        precondition(output == Array(text.uppercased().utf8), "wrong output")
    } catch {
        precondition(error.code == .invalidInput, "unexpected failure \(error)")
        precondition(String(validating: input, as: UTF8.self) == nil, "valid input refused")
    }
    return 0
}

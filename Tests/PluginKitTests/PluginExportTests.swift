// A Swift plugin's exported table, called as a C host calls it.

import CPluginABI
import Glibc
import PluginKit
import Testing

/// Returns `size` bytes of 0x2A, whatever the input; the size is its configuration.
final class SizedOutputPlugin: Plugin {
    static let name = "sized-output"
    static let version = "1.0.0"
    let size: Int

    init(configuration: String?) throws(PluginFailure) {
        guard let configuration, let size = Int(configuration), size >= 0 else {
            throw PluginFailure(.invalidConfiguration, "the configuration is the output's size")
        }
        self.size = size
    }

    func process(_ input: Span<UInt8>) throws(PluginFailure) -> [UInt8] {
        [UInt8](repeating: 0x2A, count: size)
    }
}

@Suite("A Swift plugin's export, called as C calls it", .serialized)
struct PluginExportTests {
    /// What `process` of the exported table answers for an output of `size` bytes: its code,
    /// its message, the output's length, and its first and last bytes.
    static func process(size: Int) -> (code: Int32, message: String?, length: Int, ends: [UInt8]) {
        // SAFETY: the table is the export's static one; create, process, free_memory and
        // destroy are called as native_plugin.h says, each out-pointer a local of this
        // function, each buffer freed once with free_memory after it is read.
        let table = unsafe PluginExport.table(for: SizedOutputPlugin.self).assumingMemoryBound(to: native_plugin.self)
        var instance: UnsafeMutableRawPointer?
        var message: UnsafeMutablePointer<CChar>?
        let created = unsafe "\(size)".withCString { unsafe table.pointee.create(table, $0, &instance, &message) }
        precondition(created == 0, "create failed")
        defer { unsafe table.pointee.destroy(instance) }
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        var input: UInt8 = 0
        let code = unsafe table.pointee.process(instance, &input, 0, &output, &length, &message)
        defer {
            unsafe table.pointee.free_memory(output)
            unsafe table.pointee.free_memory(message)
        }
        let text = unsafe message.map { unsafe String(cString: $0) }
        let ends = unsafe output.map { unsafe [$0[0], $0[length - 1]] } ?? []
        return (code, text, length, ends)
    }

    @Test("an output at the ABI's 1 GiB limit is handed over")
    func atTheLimit() {
        let result = Self.process(size: 1 << 30)
        #expect(result.code == 0 && result.message == nil)
        #expect(result.length == 1 << 30 && result.ends == [0x2A, 0x2A])
    }

    @Test("an output over the limit is the plugin's failure, never copied nor handed over")
    func overTheLimit() {
        let result = Self.process(size: (1 << 30) + 1)
        #expect(result.code == Int32(NATIVE_PLUGIN_ERROR_INTERNAL))
        #expect(
            result.message
                == "the output is 1073741825 bytes, more than the ABI's limit of 1073741824 (NATIVE_PLUGIN_OUTPUT_LIMIT)"
        )
        #expect(result.length == 0 && result.ends == [])
    }
}

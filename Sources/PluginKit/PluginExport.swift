// The C side of a Swift plugin: the native_plugin table and the trampolines it points to.
// The C functions they call (malloc and free) are PluginABI's.

import CPluginABI
import SafeFFI

/// Builds the `native_plugin` table that a Swift plugin's `native_plugin_entry` returns.
public enum PluginExport {
    /// The table for `plugin`, made once and kept for as long as the library is loaded.
    ///
    /// `@safe`: the pointer is only handed to C as the entry point's result; Swift code
    /// has nothing to do with it.
    @safe
    public static func table<P: Plugin>(for plugin: P.Type) -> UnsafeRawPointer {
        // SAFETY: the tables live as long as the library; see ExportedTable.
        unsafe tables.withLock { tables in
            if let existing = tables[ObjectIdentifier(plugin)] {
                return unsafe existing.table
            }
            let exported = ExportedTable(plugin)
            tables[ObjectIdentifier(plugin)] = exported
            return unsafe exported.table
        }
    }

    private static let tables = Serialized([ObjectIdentifier: ExportedTable]())
}

/// A table in memory C can read, followed by a pointer back to this object so that
/// `create` — which receives the table — finds the Swift type.
@safe
private final class ExportedTable: @unchecked Sendable {
    // SAFETY (invariant): `memory` holds an initialised native_plugin followed by this
    // object's address, and lives as long as this object, which `PluginExport.tables`
    // keeps for the library's lifetime. It is written once, in init.
    private let memory: UnsafeMutableRawPointer
    let plugin: any Plugin.Type
    private let name: UnsafeMutablePointer<CChar>
    private let version: UnsafeMutablePointer<CChar>

    static let backPointerOffset = unsafe MemoryLayout<native_plugin>.stride

    init(_ plugin: any Plugin.Type) {
        self.plugin = plugin
        // SAFETY: fresh allocations, each initialised exactly once below and never freed:
        // the table must outlive every host call into this library.
        unsafe name = PluginABI.permanentCString(plugin.name)
        unsafe version = PluginABI.permanentCString(plugin.version)
        unsafe memory = .allocate(
            byteCount: Self.backPointerOffset + MemoryLayout<UnsafeRawPointer>.stride,
            alignment: MemoryLayout<native_plugin>.alignment)
        let table = unsafe native_plugin(
            abi_version: NATIVE_PLUGIN_ABI_VERSION, struct_size: UInt32(MemoryLayout<native_plugin>.size),
            name: name, version: version, create: createTrampoline, process: processTrampoline,
            free_memory: freeTrampoline, destroy: destroyTrampoline)
        // SAFETY: `memory` is fresh, aligned for native_plugin and larger than one.
        unsafe memory.initializeMemory(as: native_plugin.self, to: table)
        // SAFETY: the back pointer is unretained; PluginExport.tables keeps this object for
        // the library's lifetime, longer than any pointer C holds to the table.
        unsafe memory.storeBytes(
            of: UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque()), toByteOffset: Self.backPointerOffset,
            as: UnsafeRawPointer.self)
    }

    // SAFETY: `memory` is initialised in init and never freed.
    var table: UnsafeRawPointer { unsafe UnsafeRawPointer(memory) }

    /// The exported table behind a table pointer C passed back.
    @unsafe
    static func from(_ table: UnsafeRawPointer) -> ExportedTable {
        // SAFETY: `table` is one of ours (the caller's contract), so the back pointer stored
        // after it leads to a live ExportedTable.
        let back = unsafe table.load(fromByteOffset: backPointerOffset, as: UnsafeRawPointer.self)
        return unsafe Unmanaged<ExportedTable>.fromOpaque(back).takeUnretainedValue()
    }
}

/// What the host holds as `void *instance`.
private final class InstanceBox {
    let plugin: any Plugin
    init(_ plugin: any Plugin) { self.plugin = plugin }
}

/// Reports a failure through the ABI: its code, and a message the host frees.
@unsafe
private func report(_ failure: PluginFailure, _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    // SAFETY: `message` is the host's out-pointer or NULL (the caller's contract).
    unsafe message?.pointee = PluginABI.copyMessage(failure.message)
    return failure.code.rawValue
}

private let createTrampoline:
    @convention(c) (
        UnsafePointer<native_plugin>?, UnsafePointer<CChar>?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
        UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> Int32 = { table, config, instance, message in
        // SAFETY: the host passes the table it got from native_plugin_entry, a config
        // string or NULL, and valid out-pointers (native_plugin.h).
        unsafe message?.pointee = nil
        guard let table = unsafe table, let instance = unsafe instance else {
            return unsafe report(
                PluginFailure(.internal, "create was called without its table or out-pointer"), message)
        }
        let exported = unsafe ExportedTable.from(UnsafeRawPointer(table))
        var configuration: String?
        do throws(BoundaryError) {
            // SAFETY: `config` is NULL or the host's NUL-terminated string, read during the call.
            if let config = unsafe config { configuration = try unsafe String(strictCString: config) }
        } catch {
            return unsafe report(
                PluginFailure(.invalidConfiguration, "the configuration is not UTF-8: \(error)"), message)
        }
        do throws(PluginFailure) {
            let plugin = try exported.plugin.init(configuration: configuration)
            // SAFETY: one retain, released by destroy exactly once (destroyTrampoline).
            unsafe instance.pointee = Unmanaged.passRetained(InstanceBox(plugin)).toOpaque()
            return Int32(NATIVE_PLUGIN_OK)
        } catch {
            return unsafe report(error, message)
        }
    }

private let processTrampoline:
    @convention(c) (
        UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?,
        UnsafeMutablePointer<Int>?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> Int32 = { instance, input, length, output, outputLength, message in
        // SAFETY: the host passes an instance from create, `length` readable bytes at
        // `input` (borrowed for the call) and valid out-pointers (native_plugin.h).
        unsafe message?.pointee = nil
        guard let instance = unsafe instance, let output = unsafe output, let outputLength = unsafe outputLength else {
            return unsafe report(
                PluginFailure(.internal, "process was called without its instance or out-pointers"), message)
        }
        guard unsafe input != nil || length == 0 else {
            return unsafe report(PluginFailure(.invalidInput, "the input is NULL but its length is \(length)"), message)
        }
        // SAFETY: `instance` came from create, which retained the box until destroy.
        let box = unsafe Unmanaged<InstanceBox>.fromOpaque(instance).takeUnretainedValue()
        let result: [UInt8]
        do throws(PluginFailure) {
            // SAFETY: `length` readable bytes at `input`, borrowed for this call; a NULL input
            // has length 0 (checked above), so the placeholder address is never read.
            let span = unsafe Span(_unsafeStart: input ?? UnsafePointer(bitPattern: 1)!, count: length)
            result = try box.plugin.process(span)
        } catch {
            return unsafe report(error, message)
        }
        guard !result.isEmpty else {
            // SAFETY: both are the host's out-pointers, tested for NULL above.
            unsafe output.pointee = nil
            unsafe outputLength.pointee = 0
            return Int32(NATIVE_PLUGIN_OK)
        }
        // The host would refuse a longer output as a broken contract: refused here, as the
        // plugin's failure, before it is copied.
        guard result.count <= Int(NATIVE_PLUGIN_OUTPUT_LIMIT) else {
            return unsafe report(
                PluginFailure(
                    .internal,
                    "the output is \(result.count) bytes, more than the ABI's limit of \(NATIVE_PLUGIN_OUTPUT_LIMIT) (NATIVE_PLUGIN_OUTPUT_LIMIT)"
                ), message)
        }
        // SAFETY: a fresh malloc'd copy of the non-empty result, handed to the host below.
        guard let copy = unsafe PluginABI.copyOutput(result) else {
            return unsafe report(PluginFailure(.internal, "out of memory for \(result.count) output bytes"), message)
        }
        // SAFETY: the host's out-pointer, tested for NULL above; the host owns the copy from
        // here and frees it with free_memory.
        unsafe output.pointee = copy
        unsafe outputLength.pointee = result.count
        return Int32(NATIVE_PLUGIN_OK)
    }

private let freeTrampoline: @convention(c) (UnsafeMutableRawPointer?) -> Void = { memory in
    // SAFETY: the host frees only what create/process allocated with malloc, or NULL.
    unsafe PluginABI.freeMemory(memory)
}

private let destroyTrampoline: @convention(c) (UnsafeMutableRawPointer?) -> Void = { instance in
    guard let instance = unsafe instance else { return }
    // SAFETY: the instance came from create, which retained its box once; released here, once.
    unsafe Unmanaged<InstanceBox>.fromOpaque(instance).release()
}

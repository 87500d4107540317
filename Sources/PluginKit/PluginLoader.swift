// Loading any native_plugin library — Swift or C — from Swift, with typed errors.

import CPluginABI
import Glibc
import SafeFFI

/// Why a plugin library could not be used. The message is the line `plugin-host` prints
/// for the same problem (after its `plugin-host: ` prefix).
public struct PluginLoadError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem the library has.
    public enum Reason: Equatable, Hashable, Sendable {
        /// There is no file at the path.
        case missingFile
        /// `dlopen` refused the file (not a shared object, or a missing dependency).
        case notLoadable
        /// The library exports no `native_plugin_entry`.
        case missingEntry
        /// `native_plugin_entry` returned NULL.
        case nullTable
        /// The table breaks the ABI's compatibility rule (version, size, a NULL field).
        case incompatible
    }

    /// What kind of problem the library has.
    public let reason: Reason
    /// The problem, in the words plugin-host prints.
    public let message: String

    public var description: String { message }
}

/// A plugin library loaded with `dlopen`, unloaded when the last reference (including
/// every instance it made) ends.
///
/// `Sendable`: after loading, it is never changed; the table it reads is static.
@safe
public final class PluginLibrary: @unchecked Sendable {
    // SAFETY (invariant): `handle` is a dlopen handle and `table` points into that library,
    // valid until deinit's dlclose, which runs only when no instance is left.
    private let handle: UnsafeMutableRawPointer
    private let table: UnsafePointer<native_plugin>
    /// The plugin's name, from its table.
    public let name: String
    /// The plugin's version, from its table.
    public let version: String

    /// Loads the plugin library at `path` and checks its table against the ABI.
    ///
    /// The library is opened with `RTLD_NODELETE`: the Swift runtime keeps pointers into
    /// a Swift library's metadata, so unloading one would crash the process later.
    /// The corresponding C functions are `dlopen`, `dlsym` and `native_plugin_validate`.
    public init(path: String) throws(PluginLoadError) {
        // C would read such a path only up to the NUL, and look for another file.
        if let nul = path.utf8.firstIndex(of: 0) {
            let offset = path.utf8.distance(from: path.utf8.startIndex, to: nul)
            throw PluginLoadError(
                reason: .missingFile, message: "\(path.debugDescription): the path holds a NUL byte at offset \(offset)"
            )
        }
        // SAFETY: access and dlopen read the NUL-terminated path during the call.
        let exists = (try? unsafe path.withCheckedCString { unsafe access($0, F_OK) }) == 0
        guard exists else { throw PluginLoadError(reason: .missingFile, message: "\(path): no such file") }
        let local = path.contains("/") ? path : "./\(path)"
        guard
            let handle =
                unsafe (try? local.withCheckedCString { unsafe dlopen($0, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) })
                ?? nil
        else {
            // SAFETY: dlerror returns a message owned by libdl, copied at once.
            let detail = (try? unsafe String(strictCString: dlerror())) ?? nil
            throw PluginLoadError(
                reason: .notLoadable, message: "\(path): not a loadable shared object (\(detail ?? "unknown error"))")
        }
        func refuse(_ reason: PluginLoadError.Reason, _ message: String) -> PluginLoadError {
            // SAFETY: the library just opened, closed once here; nothing from it is kept.
            unsafe dlclose(handle)
            return PluginLoadError(reason: reason, message: "\(path): \(message)")
        }
        // SAFETY: `handle` is the library just opened; the symbol name is a C literal.
        guard let symbol = unsafe dlsym(handle, NATIVE_PLUGIN_ENTRY_SYMBOL) else {
            throw refuse(.missingEntry, "no native_plugin_entry symbol")
        }
        // SAFETY: the symbol is the plugin's entry point, of the ABI's function type.
        let entry = unsafe unsafeBitCast(symbol, to: native_plugin_entry_function.self)
        guard let table = unsafe entry() else {
            throw refuse(.nullTable, "native_plugin_entry returned NULL")
        }
        var problem = [CChar](repeating: 0, count: 256)
        // SAFETY: the table is the plugin's static table; the buffer has `count` bytes.
        if unsafe native_plugin_validate(table, &problem, problem.count) != 0 {
            let text = unsafe problem.withUnsafeBufferPointer { buffer in
                // SAFETY: native_plugin_validate wrote a NUL-terminated line into the buffer.
                (try? unsafe String(strictCString: buffer.baseAddress)) ?? nil
            }
            throw refuse(.incompatible, text ?? "incompatible plugin table")
        }
        // SAFETY: validated non-NULL static strings of the plugin.
        let name = (try? unsafe String(strictCString: table.pointee.name)) ?? nil
        let version = (try? unsafe String(strictCString: table.pointee.version)) ?? nil
        guard let name, let version else {
            throw refuse(.incompatible, "plugin name or version is not UTF-8")
        }
        unsafe self.handle = handle
        unsafe self.table = table
        self.name = name
        self.version = version
    }

    deinit {
        // SAFETY: no instance is left (each holds this library), so nothing uses the table.
        unsafe dlclose(handle)
    }

    /// Creates an instance of the plugin. The corresponding ABI function is `create`.
    ///
    /// - Throws: the plugin's ``PluginFailure`` (its code and message).
    public func makeInstance(configuration: String? = nil) throws(PluginFailure) -> PluginInstance {
        var instance: UnsafeMutableRawPointer?
        var message: UnsafeMutablePointer<CChar>?
        let code: Int32
        do throws(CStringError) {
            if let configuration {
                // SAFETY: the configuration is borrowed for the call; the table is valid.
                code = try unsafe configuration.withCheckedCString {
                    unsafe table.pointee.create(table, $0, &instance, &message)
                }
            } else {
                code = unsafe table.pointee.create(table, nil, &instance, &message)
            }
        } catch {
            throw PluginFailure(.invalidConfiguration, "the configuration holds a NUL byte: \(error)")
        }
        // SAFETY: `message` is NULL or create's allocation, taken once; `instance` is create's
        // new instance when the code is OK, owned from here by the PluginInstance alone.
        let text = unsafe takeMessage(message)
        guard code == Int32(NATIVE_PLUGIN_OK), let instance = unsafe instance else {
            throw PluginFailure(PluginFailure.Code(rawValue: code), text ?? "no message")
        }
        return unsafe PluginInstance(library: self, instance: instance)
    }

    /// Runs the plugin's process function. The corresponding ABI function is `process`.
    @unsafe
    func process(_ instance: UnsafeMutableRawPointer, _ input: [UInt8]) throws(PluginFailure) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        var message: UnsafeMutablePointer<CChar>?
        // SAFETY: the input is borrowed for the call; the instance is alive.
        let code = unsafe input.withUnsafeBufferPointer {
            unsafe table.pointee.process(instance, $0.baseAddress, $0.count, &output, &length, &message)
        }
        // SAFETY: the message and the output are the plugin's allocations (or NULL), each
        // freed once: the message by takeMessage, the output by the defer after its copy.
        let text = unsafe takeMessage(message)
        defer { unsafe table.pointee.free_memory(output) }
        guard code == Int32(NATIVE_PLUGIN_OK) else {
            throw PluginFailure(PluginFailure.Code(rawValue: code), text ?? "no message")
        }
        guard let output = unsafe output, length > 0 else { return [] }
        // SAFETY: the plugin returned `length` bytes at `output`, freed by the defer above
        // after this copy.
        return unsafe Array(UnsafeBufferPointer(start: output, count: length))
    }

    /// Destroys an instance. The corresponding ABI function is `destroy`.
    @unsafe
    func destroy(_ instance: UnsafeMutableRawPointer) {
        // SAFETY: the caller passes a live instance of this library, destroyed only here.
        unsafe table.pointee.destroy(instance)
    }

    /// Copies and frees an error message the plugin returned (the plugin allocated it;
    /// `free_memory` is its deallocator, called once after the copy).
    @unsafe
    private func takeMessage(_ message: UnsafeMutablePointer<CChar>?) -> String? {
        // SAFETY: the message is the plugin's allocation, freed once with its own
        // free_memory after the copy below; the table is valid while the library is loaded.
        guard let message = unsafe message else { return nil }
        defer { unsafe table.pointee.free_memory(message) }
        // SAFETY: a NUL-terminated message the plugin allocated; freed after the copy.
        let text = (try? unsafe String(strictCString: message)) ?? nil
        return text ?? "(message is not UTF-8)"
    }
}

/// One instance of a loaded plugin, destroyed exactly once when it ends. It keeps its
/// library loaded. Not `Sendable`: the ABI lets one thread at a time use an instance.
@safe
public struct PluginInstance: ~Copyable {
    private let library: PluginLibrary
    private let instance: UnsafeMutableRawPointer

    @unsafe
    init(library: PluginLibrary, instance: UnsafeMutableRawPointer) {
        self.library = library
        // SAFETY: the caller hands over create's instance; only this value destroys it.
        unsafe self.instance = instance
    }

    deinit {
        // SAFETY: the instance came from create and is destroyed once, here.
        unsafe library.destroy(instance)
    }

    /// Transforms `input` with the plugin.
    ///
    /// - Throws: the plugin's ``PluginFailure``.
    public func process(_ input: [UInt8]) throws(PluginFailure) -> [UInt8] {
        // SAFETY: the instance is alive for this borrow.
        try unsafe library.process(instance, input)
    }
}

@available(*, unavailable, message: "a plugin instance is used by one thread at a time")
extension PluginInstance: Sendable {}
